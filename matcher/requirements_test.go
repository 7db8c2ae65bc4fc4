package matcher

import (
	"slices"
	"strings"
	"testing"
)

func TestOptionalParts(t *testing.T) {
	job := `Requirements:
Python and SQL.
Experience with Spark is a plus. Docker required.
Agile experience preferred
Nice to Haves
Kubernetes
Airflow, dbt
What We Offer:
Salary`
	parts := optionalParts(job)
	var got []string
	for _, p := range parts {
		got = append(got, strings.TrimSpace(job[p.Start:p.End]))
	}
	want := []string{"Experience with Spark is a plus.", "Agile experience preferred", "Kubernetes", "Airflow, dbt"}
	if !slices.Equal(got, want) {
		t.Errorf("optional parts %q, want %q", got, want)
	}
	at := func(w string) []Span {
		i := strings.Index(job, w)
		return []Span{{i, i + len(w)}}
	}
	for _, tt := range []struct {
		word string
		want bool
	}{{"Python", false}, {"Spark", true}, {"Docker", false}, {"Kubernetes", true}, {"Airflow", true}, {"Salary", false}} {
		if got := optional(at(tt.word), parts); got != tt.want {
			t.Errorf("optional(%s) = %v, want %v", tt.word, got, tt.want)
		}
	}
	if optional(nil, parts) {
		t.Error("a keyword without spans is optional")
	}
	if spans := append(at("Spark"), at("Python")...); optional(spans, parts) {
		t.Error("a keyword also found among the requirements is optional")
	}
}
