package matcher

// SameSkill reports whether a and b are the same skill for the default
// vocabulary: "Excel" and "Microsoft Excel", "AWS" and "Amazon Web Services".
func SameSkill(a, b string) bool {
	v := DefaultVocabulary()
	return v.key(v.canonical(normalize(a))) == v.key(v.canonical(normalize(b)))
}
