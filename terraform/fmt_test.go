package terraform

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// checkFormat reports what `terraform fmt` would change in the .tf file
// path. terraform fmt is hclwrite's formatter (hclwrite.File.Bytes) plus
// the unwrapping of interpolation-only strings ("${var.x}" becomes var.x);
// scripts/ci/terraform.sh can also run terraform fmt itself.
func checkFormat(path string) problems {
	var p problems
	src, err := os.ReadFile(path)
	if err != nil {
		return problems{err.Error()}
	}
	f, diags := hclwrite.ParseConfig(src, path, hcl.InitialPos)
	if diags.HasErrors() {
		return problems{diags.Error()}
	}
	if got := f.Bytes(); !bytes.Equal(got, src) {
		p = append(p, fmt.Sprintf("%s: not formatted (terraform fmt would change it); first difference at line %d", path, firstDiffLine(src, got)))
	}
	sf, _ := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	hclsyntax.VisitAll(sf.Body.(*hclsyntax.Body), func(n hclsyntax.Node) hcl.Diagnostics {
		if w, ok := n.(*hclsyntax.TemplateWrapExpr); ok {
			p.addf(w.SrcRange, "interpolation-only string; terraform fmt would unwrap it")
		}
		return nil
	})
	return p
}

func firstDiffLine(a, b []byte) int {
	line := 1
	for i := 0; i < len(a) && i < len(b) && a[i] == b[i]; i++ {
		if a[i] == '\n' {
			line++
		}
	}
	return line
}

// TestFormat checks every .tf file under terraform/ except testdata, as
// `terraform fmt -check -recursive terraform/` does.
func TestFormat(t *testing.T) {
	n := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == ".terraform") {
			return filepath.SkipDir
		}
		if !d.IsDir() && filepath.Ext(path) == ".tf" {
			n++
			report(t, checkFormat(path))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Errorf("found %d .tf files, expected the whole module", n)
	}
}

// TestFormatCatchesMisformatted runs checkFormat on a file that terraform
// fmt would change (named .tf.txt so that terraform fmt -recursive and the
// module loader leave it alone).
func TestFormatCatchesMisformatted(t *testing.T) {
	p := checkFormat("testdata/broken/fmt/misformatted.tf.txt")
	for _, want := range []string{"not formatted (terraform fmt would change it); first difference at line 2", "interpolation-only string"} {
		found := false
		for _, line := range p {
			found = found || strings.Contains(line, want)
		}
		if !found {
			t.Errorf("no problem containing %q; got:\n%s", want, strings.Join(p, "\n"))
		}
	}
}
