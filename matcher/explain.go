package matcher

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// covers reports whether the model covers lang (Config.ModelLanguages); an
// undetected language ("") gets the benefit of the doubt.
func (c Config) covers(lang string) bool {
	if lang == "" {
		return true
	}
	for _, l := range strings.Split(c.ModelLanguages, ",") {
		if l = strings.TrimSpace(l); l == "*" || strings.EqualFold(l, lang) {
			return true
		}
	}
	return false
}

// warnings returns what the Result of job and r should warn about.
func (m *Matcher) warnings(job *Job, r *Resume) []string {
	w := []string{}
	if len(r.keywords) == 0 {
		w = append(w, WarnResumeEmpty)
	}
	if !m.cfg.covers(job.language) {
		w = append(w, WarnJobLanguage)
	}
	if !m.cfg.covers(r.language) {
		w = append(w, WarnResumeLanguage)
	}
	if job.language != "" && r.language != "" && job.language != r.language {
		w = append(w, WarnLanguagesDiffer)
	}
	return w
}

// explanationKeywords is how many keywords an explanation names on each
// side.
const explanationKeywords = 3

// explain says how res's score came about: the matched keywords that added
// most and the missing ones that cost most.
func (m *Matcher) explain(res *Result) string {
	n := len(res.Matched) + len(res.Missing)
	var b strings.Builder
	fmt.Fprintf(&b, "%.0f%%: %d of %d job keywords matched (similarity ≥ %.2f), each adding importance × similarity; importance by %s weighting.",
		100*res.Score, len(res.Matched), n, m.cfg.Threshold, m.cfg.Weighting)
	name := func(ks []Keyword, value func(Keyword) float64, sign string) string {
		ks = slices.Clone(ks)
		slices.SortStableFunc(ks, func(a, b Keyword) int { return cmp.Compare(value(b), value(a)) })
		var parts []string
		for _, k := range ks[:min(explanationKeywords, len(ks))] {
			parts = append(parts, fmt.Sprintf("%q (%s%.1f)", k.Keyword, sign, 100*value(k)))
		}
		return strings.Join(parts, ", ")
	}
	if len(res.Matched) > 0 {
		fmt.Fprintf(&b, " Most gained: %s.", name(res.Matched, func(k Keyword) float64 { return k.Contribution }, "+"))
	}
	if len(res.Missing) > 0 {
		fmt.Fprintf(&b, " Most lost: %s.", name(res.Missing, func(k Keyword) float64 { return k.Importance }, "−"))
	}
	var short []string
	for _, k := range res.Matched {
		if k.YearsRequired != nil && k.YearsStated != nil && *k.YearsStated < *k.YearsRequired && len(short) < explanationKeywords {
			short = append(short, fmt.Sprintf("%q (%g of %g)", k.Keyword, math.Round(10**k.YearsStated)/10, *k.YearsRequired))
		}
	}
	if len(short) > 0 {
		fmt.Fprintf(&b, " Fewer years than asked: %s.", strings.Join(short, ", "))
	}
	return b.String()
}
