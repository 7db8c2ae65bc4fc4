// Package matcher tells how well a resume fits a job description: it extracts
// keywords from both texts, embeds them, and reports which of the job's
// keywords the resume matches, which it misses, and an overall score.
package matcher
