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
// The environment is honoured as huggingface_hub honours it: HF_ENDPOINT,
// HF_TOKEN, HF_HUB_CACHE, HF_HOME and HF_HUB_OFFLINE.
package hub
