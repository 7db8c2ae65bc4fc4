// Package similarity compares embedding vectors by cosine similarity: pairs of
// vectors, and whole sets as a similarity matrix with the best match per row.
package similarity
