// Package hub downloads model files from the Hugging Face Hub into the same
// cache that the Python huggingface_hub library uses, so that Go programs and
// Python tools share one copy of each model.
//
// Files are fetched from <endpoint>/<repo>/resolve/<revision>/<path>, as the
// Hub serves them, and stored in the Hub cache layout:
//
//	<cache>/models--<org>--<name>/blobs/<etag>
//	<cache>/models--<org>--<name>/snapshots/<commit>/<path> -> ../../blobs/<etag>
//	<cache>/models--<org>--<name>/refs/<branch>               (holds <commit>)
//
// Every file is checked before it enters the cache: against the SHA-256 the
// caller pinned, if any, and against the Hub's ETag, which is the SHA-256 of
// large (LFS) files and the git blob hash of small ones. Downloads go to a
// ".incomplete" file that later calls resume with a Range request, and are
// renamed into place only once verified, so the cache never holds a partial
// or corrupt blob. Each download holds the lock huggingface_hub takes for
// the same blob (<cache>/.locks/models--<org>--<name>/<etag>.lock, an flock),
// so Go and Python processes can share one cache.
//
// Nothing a server sends is trusted further than it can be checked. A
// download stops as soon as it passes the file's pinned size ([File.Size]),
// else the size the Hub declared, else [Client.MaxFileSize] (2 GiB by
// default); a request that receives nothing for [Client.StallTimeout] (30 s)
// fails with [ErrStalled]; the default HTTP client takes at most 64 KiB of
// headers; redirects are followed at most 10 times, to http or https only
// and never from https to http; ETags and commits become file names only
// when they are plain names. Cached files are checked before each use: a
// snapshot entry must lead to a regular file in the repository's blobs,
// of the pinned or declared size, and its hash is checked too when that is
// cheap (files up to 16 MiB, or of no known size). A cached file that
// fails is fetched again, or, offline, reported with [ErrChecksum]. The
// whole download takes as long as the context allows.
//
// The environment is honoured as huggingface_hub honours it: HF_ENDPOINT,
// HF_TOKEN, HF_HUB_CACHE, HF_HOME and HF_HUB_OFFLINE.
package hub
