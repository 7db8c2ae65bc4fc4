package terraform

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestREADME checks that the inputs and outputs tables of README.md list
// exactly the variables and outputs of each module.
func TestREADME(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for dir, title := range map[string]string{
		".":                   "Root module",
		"modules/lambda":      "modules/lambda",
		"modules/api_gateway": "modules/api_gateway",
		"modules/ecr":         "modules/ecr",
		"modules/batch":       "modules/batch",
	} {
		m := load(t, dir)
		compareNames(t, "### Inputs: "+title, tableNames(string(readme), "### Inputs: "+title), sortedKeys(m.variables))
		compareNames(t, "### Outputs: "+title, tableNames(string(readme), "### Outputs: "+title), sortedKeys(m.outputs))
	}
}

var rowName = regexp.MustCompile("(?m)^\\| `([a-z0-9_]+)` \\|")

// tableNames returns the names in the first column of the section that
// starts with heading.
func tableNames(doc, heading string) []string {
	i := strings.Index(doc, heading+"\n")
	if i < 0 {
		return nil
	}
	section := doc[i+len(heading):]
	if j := strings.Index(section, "\n#"); j >= 0 {
		section = section[:j]
	}
	var names []string
	for _, m := range rowName.FindAllStringSubmatch(section, -1) {
		names = append(names, m[1])
	}
	return names
}

func compareNames(t *testing.T, section string, listed, declared []string) {
	t.Helper()
	if len(listed) == 0 {
		t.Errorf("README.md: no table under %q", section)
		return
	}
	in := map[string]bool{}
	for _, n := range listed {
		in[n] = true
	}
	for _, n := range declared {
		if !in[n] {
			t.Errorf("README.md %s: %q is missing", section, n)
		}
		delete(in, n)
	}
	for _, n := range sortedKeys(in) {
		t.Errorf("README.md %s: %q is listed but not declared", section, n)
	}
}
