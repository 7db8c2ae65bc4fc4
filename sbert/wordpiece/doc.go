// Package wordpiece is the BERT WordPiece tokenizer of all-MiniLM-L6-v2 and
// other BERT-family sentence-transformers models, in pure Go. It gives the
// same ids as Hugging Face's BertTokenizerFast (tokenizers' BertNormalizer,
// BertPreTokenizer and WordPiece model), which is what sentence-transformers
// runs.
package wordpiece
