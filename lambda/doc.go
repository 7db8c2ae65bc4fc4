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
//	GET  /health    → {"status": "ok", "model_loaded": false}
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
// Bad input never becomes a 5xx: malformed JSON, missing fields, wrong types
// and invalid UTF-8 answer 400, bodies over [Options.MaxBodyBytes] 413, a job
// with no keywords 422. Base64-encoded bodies from API Gateway are decoded.
// The invocation deadline reaches the matcher through the context; a request
// that runs out of time answers 504.
package lambda
