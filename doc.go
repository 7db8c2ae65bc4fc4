// Package jobmatch tells how well a resume fits a job description.
//
// The data flows in four steps, each in its own package:
//
//		text ──yake──▶ keywords ──sbert──▶ embeddings ──similarity──▶ scores ──matcher──▶ Result
//
//	  - [github.com/jobmatch/jobmatch/yake] extracts keywords from a text with YAKE,
//	    giving the same keywords and scores as the Python package yake 0.7.3.
//	  - [github.com/jobmatch/jobmatch/sbert] tokenizes keywords with BERT WordPiece and
//	    embeds them with the sentence-transformers model all-MiniLM-L6-v2, in pure Go,
//	    giving the same vectors as sentence-transformers.
//	  - [github.com/jobmatch/jobmatch/similarity] compares vectors by cosine similarity.
//	  - [github.com/jobmatch/jobmatch/matcher] puts the steps together: for every keyword
//	    of the job it finds the closest keyword of the resume, and reports the keywords
//	    matched, the keywords missing and an overall score.
//
// The folders examples/ (runnable commands), lambda/ (an AWS Lambda function) and
// terraform/ (a Terraform module that deploys it) build on these packages.
//
// Everything is pure Go: the module builds with CGO_ENABLED=0 into one static binary.
package jobmatch
