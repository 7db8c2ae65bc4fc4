// Package lambda serves the matcher over HTTP-shaped events: as an AWS Lambda
// function behind an API Gateway HTTP API (payload format 2.0) or a Lambda
// function URL, and, through the same [Service], as a plain net/http handler
// (see examples/server).
//
// Routes:
//
//	POST /match     {"resume": "...", "job": "...", "threshold": 0.6, "job_keywords": 20, "resume_keywords": 40}
//	                → the matcher.Result as JSON (score, matched, missing, settings)
//	POST /keywords  {"text": "...", "top": 20, "language": "en", "max_ngram": 3}
//	                → {"keywords": [{"keyword": "...", "score": 0.01}, ...]}
//	POST /rank      {"job": "...", "resumes": [{"name": "a.txt", "text": "..."}, ...], "threshold": 0.6, ...}
//	                → {"job": {"keywords": [...], "spans": [...]}, "results": [...], "settings": {...}}
//	GET  /health    → {"status": "ok", "model": "not loaded yet", "model_loaded": false}
//	POST /text      a document's bytes as they are (PDF, DOCX, ...) → {"text": "..."}, as the other routes read it
//	GET  /          → the page: a recruiter's form over POST /rank
//
// POST /match, /keywords and /rank also take documents uploaded as
// multipart/form-data (curl -F resume=@cv.pdf -F job=@job.docx .../match;
// /rank takes any number of "resume" parts), read by package
// matcher/document within matcher.Config.Documents: PDF, DOCX, ODT, HTML,
// Markdown or text, told apart by content. A document that cannot be read
// answers 422 with the reason (a scan: "the PDF has no text layer"), an
// unsupported format 415, one over the limits 413; in /rank it is an error
// of that resume only. API Gateway HTTP APIs and function URLs hand such
// bodies to the function base64-encoded, which Handle decodes.
//
// POST /rank ranks up to [Options.MaxResumes] (100) resumes against one job
// in one request, within the same body size and time as the others, and
// answers a [RankResponse]: per resume, best first, the matcher.Result's
// fields and where its matched counterparts occur in its text, and once
// where the job's keywords occur in the job text (matcher.FindSpans, byte
// offsets), so that a page can highlight both texts. A resume over the
// matcher's MaxTextBytes gets an error of its own and does not fail the
// others. It takes one slot, and ranks on the matcher's Concurrency
// goroutines within it.
//
// GET / is one HTML document with its style and script inside, embedded
// from web/ (no build step, nothing loaded from elsewhere; a
// Content-Security-Policy allows exactly its own code). Like /health it
// is answered without a slot. Nothing a request sends is stored or logged:
// the log has the method, path, status and duration, never a text, and the
// only thing kept after an answer is the matcher's in-memory cache of
// keyword embeddings (normalised keywords, never whole texts).
//
// Only "resume" and "job" (or "text") are required; unknown fields are
// rejected so that a misspelt setting is not silently ignored.
//
// The lessons of the Python original are kept on purpose. Nothing heavy runs
// at init: the model and the keyword extractor are loaded once, by the first
// request that needs them (Service.Warm loads them sooner: the server calls
// it once it listens, and the Lambda function starts it in the background at
// init, without waiting for it), and reused by every warm request; /health
// and /keywords never wait for the model. The log (structured JSON through
// log/slog) says whether an invocation was cold or warm and how long the model
// load took. A model that cannot be loaded answers 503 with the reason in the
// log, and the next request tries again.
//
// /health always answers 200 (the process is up; /keywords works without the
// model) and says what state the model is in: "model" is "loaded", "not
// loaded yet" (the first request that needs it loads it) or "failed", and
// then "status" is "degraded" rather than "ok", with an "error" to read.
//
// Bad input never becomes a 5xx: malformed JSON, data after the object,
// missing fields, wrong types and invalid UTF-8 answer 400, as do settings
// out of range (keyword counts 1 to 200, max_ngram 0 to yake.MaxNGramLimit);
// bodies over [Options.MaxBodyBytes] 413 (checked before a base64 body is
// decoded), a job with no keywords 422. Base64-encoded bodies from API
// Gateway are decoded. Keywords longer than matcher.MaxKeywordBytes are left
// out of every answer, so an answer's size is bounded by the keyword counts,
// not by the texts.
//
// At most [Options.Concurrency] requests compute at once; the others wait for
// a slot until their deadline and then answer 503 with Retry-After. Over HTTP
// ([Service.ServeHTTP]) the body is read first, within [Options.BodyTimeout]
// (a slow sender gets 408), and the answer is written after the slot is given
// back, so slow clients never hold a slot; /health takes none. The invocation
// deadline (or [Options.Timeout] over HTTP) reaches the matcher through the
// context; a request that runs out of time answers 504. SECURITY.md lists
// every limit and the attacks replayed against them.
//
// The same function ranks resumes in batches for a Step Functions
// Distributed Map (terraform/modules/batch): [HandleEvent] tells the event's
// kind by its shape ([EventKind]: "Items" is a batch, "requestContext" an
// HTTP request) and passes a [BatchEvent] to [Batch.Handle], which reads each
// resume from S3 (at most [BatchOptions.MaxItemBytes]), scores it against
// the batch's job, writes one JSON line per resume to the results bucket and
// returns a [BatchOutput] of counts and the best resumes. A batch holds at
// most [BatchOptions.MaxItems] items, and items not started
// [BatchOptions.TimeReserve] before the deadline fail alone, saying so.
package lambda
