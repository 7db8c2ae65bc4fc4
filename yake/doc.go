// Package yake extracts keywords from a single document with YAKE
// (Campos et al., Information Sciences 509, 2020), giving the same keywords
// and scores as the Python package yake 0.7.3.
package yake
