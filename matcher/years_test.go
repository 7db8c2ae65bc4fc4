package matcher

import (
	"fmt"
	"strings"
	"testing"
)

// statement shows a years statement as "years@number phrase→scope" for
// comparison; a general statement has no scope.
func statement(text string, s yearsStatement) string {
	out := fmt.Sprintf("%g@%s", s.years, text[s.at.Start:s.at.End])
	if s.scope != (Span{}) {
		out += "→" + strings.TrimSpace(text[s.scope.Start:s.scope.End])
	}
	return out
}

func TestYearsStatements(t *testing.T) {
	for _, tt := range []struct {
		text string
		want []string
	}{
		// Postings (from the evaluation data).
		{"Requirements 1+ years of experience with AWS data solutions (Kinesis, Glue) 1+ years of experience in Python 3+ years of experience with MySQL",
			[]string{"1@1+ years→with AWS data solutions (Kinesis, Glue)", "1@1+ years→in Python", "3@3+ years→with MySQL"}},
		{"What we're looking for: 2-4 years of data science experience—you have driven",
			[]string{"2@2-4 years→data science experience—you have driven"}},
		{"Requires 4-8 years of relevant experience. Requires a Bachelor's degree", []string{"4@4-8 years"}},
		{"3 to 6 years of practical experience in data science (compensation scale",
			[]string{"3@3 to 6 years→in data science (compensation scale"}},
		{"Five years' experience with SAS (or similar), ETL", []string{"5@Five years→with SAS (or similar), ETL"}},
		{"Minimum 2 years of relevant working experience, preferably in public sector", []string{"2@2 years"}},
		{"EXP: 10+ Years\nMUST HAVE SKILLS", []string{"10@10+ Years"}},
		{"Minimum of 3-years’ experience analyzing ILI data", []string{"3@3-years→analyzing ILI data"}},
		{"Master’s+1yr/Bachelor’s+5yrs exp/equiv. Data Scientist", []string{"5@5yrs"}},
		{"At least 5.5 years of Python.", []string{"5.5@5.5 years→Python"}},
		// Resumes.
		{"Data Analysis- Exprience - Less than 1 year months Python- Exprience - 31 months",
			[]string{"0.5@1 year→Data Analysis", "2.5833333333333335@31 months→months Python"}},
		{"Skills: Python (5 years), SQL (3 yrs)", []string{"5@5 years→Python", "3@3 yrs→SQL"}},
		{"7 years of experience in data science.", []string{"7@7 years→in data science"}},
		{"Python: 4 years\nJava: 2 years", []string{"4@4 years→Python", "2@2 years→Java"}},
		// Not experience.
		{"Davey has been employee-owned for 35 years and has more than 8,000 employees", nil},
		{"the option to buy company stock after one year.", nil},
		{"Four year degree in Computer Science", nil},
		{"storing the world's data for more than 50 years.", nil},
		{"He is 20 years old.", nil},
		{"2019 years; 100 years of experience; 0 years of experience", nil},
		{"many years of experience in Python; years ago; years", nil},
		{"5 years", nil}, // a number of years, about nothing
	} {
		var got []string
		for _, s := range yearsStatements(tt.text) {
			got = append(got, statement(tt.text, s))
		}
		if strings.Join(got, " | ") != strings.Join(tt.want, " | ") {
			t.Errorf("yearsStatements(%q)\n got %q\nwant %q", tt.text, got, tt.want)
		}
	}
}

// TestYearsStatementsBounds feeds long and repetitive texts: at most
// maxYearsStatements come back, and scopes stay short, whatever the input.
func TestYearsStatementsBounds(t *testing.T) {
	for _, text := range []string{
		strings.Repeat("1 year ", 1<<20/7),
		strings.Repeat("Python (5 years) ", 1<<20/17),
		strings.Repeat("years ", 1<<20/6),
		strings.Repeat("9", 1<<20) + " years of experience",
		"5 years of " + strings.Repeat("x", 1<<20),
		strings.Repeat("x", 1<<20) + " (5 years)",
	} {
		got := yearsStatements(text)
		if len(got) > maxYearsStatements {
			t.Errorf("%.20q...: %d statements, the cap is %d", text, len(got), maxYearsStatements)
		}
		checkStatements(t, text, got)
	}
	if got := yearsStatements(strings.Repeat("Python (5 years) ", 1000)); len(got) != maxYearsStatements {
		t.Errorf("1000 statements: got %d, want the cap %d", len(got), maxYearsStatements)
	}
}

// checkStatements fails t unless stmts are well formed for text: in order,
// within text, years in [0, maxYears], scopes short and outside the number.
func checkStatements(t *testing.T, text string, stmts []yearsStatement) {
	t.Helper()
	end := 0
	for _, s := range stmts {
		switch {
		case s.at.Start < end || s.at.Start >= s.at.End || s.at.End > len(text):
			t.Fatalf("statement at %v after %d in a text of %d bytes", s.at, end, len(text))
		case !(s.years >= 0 && s.years <= maxYears):
			t.Fatalf("statement %q: %g years", text[s.at.Start:s.at.End], s.years)
		case s.scope != (Span{}) && (s.scope.Start >= s.scope.End || s.scope.End-s.scope.Start > maxScopeBytes || s.scope.End > len(text)):
			t.Fatalf("statement %q: scope %v", text[s.at.Start:s.at.End], s.scope)
		case s.scope != (Span{}) && s.scope.Start < s.at.End && s.at.Start < s.scope.End:
			t.Fatalf("statement %q: scope %v overlaps the number %v", text[s.at.Start:s.at.End], s.scope, s.at)
		}
		end = s.at.End
	}
}

func FuzzYearsStatements(f *testing.F) {
	f.Add("Requirements 1+ years of experience with AWS 3+ years of experience with MySQL")
	f.Add("Data Analysis- Exprience - Less than 1 year months Python- Exprience - 31 months")
	f.Add("Skills: Python (5 years), SQL (3 yrs)\nEXP: 10+ Years")
	f.Add("1.5 years; 2-4 years; five years' experience in ML; -(\xff years")
	f.Fuzz(func(t *testing.T, text string) {
		checkStatements(t, text, yearsStatements(text))
	})
}
