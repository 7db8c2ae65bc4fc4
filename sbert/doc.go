// Package sbert turns text into sentence embeddings in pure Go: a BERT
// WordPiece tokenizer and the inference of BERT-family sentence-transformers
// models such as all-MiniLM-L6-v2, faithful to Hugging Face transformers and
// sentence-transformers.
package sbert
