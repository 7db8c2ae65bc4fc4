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
//	GET  /health    → {"status": "ok", "model": "not loaded yet", "model_loaded": false}
//
// Only "resume" and "job" (or "text") are required; unknown fields are
// rejected so that a misspelt setting is not silently ignored.
//
// The lessons of the Python original are kept on purpose. Nothing heavy runs
// at init: the model and the keyword extractor are loaded once, lazily, by
// the first request that needs them, and reused by every warm request; /health
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
