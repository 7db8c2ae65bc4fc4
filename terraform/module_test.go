package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// module is the top-level content of one Terraform module directory.
type module struct {
	dir       string
	variables map[string]*hclsyntax.Block
	outputs   map[string]*hclsyntax.Block
	locals    map[string]*hclsyntax.Attribute
	resources map[string]*hclsyntax.Block // "aws_x.name", or "data.aws_x.name" for data sources
	calls     map[string]*hclsyntax.Block // module calls by name
	terraform []*hclsyntax.Block
	blocks    []*hclsyntax.Block // every top-level block, in file order
}

// loadModule parses the *.tf files of dir.
func loadModule(dir string) (*module, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("load %s: no .tf files", dir)
	}
	sort.Strings(paths)
	m := &module{
		dir:       dir,
		variables: map[string]*hclsyntax.Block{},
		outputs:   map[string]*hclsyntax.Block{},
		locals:    map[string]*hclsyntax.Attribute{},
		resources: map[string]*hclsyntax.Block{},
		calls:     map[string]*hclsyntax.Block{},
	}
	parser := hclparse.NewParser()
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		f, diags := parser.ParseHCL(src, path)
		if diags.HasErrors() {
			return nil, fmt.Errorf("parse %s: %w", path, diags)
		}
		for _, b := range f.Body.(*hclsyntax.Body).Blocks {
			m.blocks = append(m.blocks, b)
			key := strings.Join(b.Labels, ".")
			var dup bool
			switch b.Type {
			case "variable":
				_, dup = m.variables[key]
				m.variables[key] = b
			case "output":
				_, dup = m.outputs[key]
				m.outputs[key] = b
			case "resource":
				_, dup = m.resources[key]
				m.resources[key] = b
			case "data":
				_, dup = m.resources["data."+key]
				m.resources["data."+key] = b
			case "module":
				_, dup = m.calls[key]
				m.calls[key] = b
			case "locals":
				for name, a := range b.Body.Attributes {
					_, dup = m.locals[name]
					m.locals[name] = a
				}
			case "terraform":
				m.terraform = append(m.terraform, b)
			}
			if dup {
				return nil, fmt.Errorf("%s: duplicate %s %q", at(b.DefRange()), b.Type, key)
			}
		}
	}
	return m, nil
}

// byType returns the resources (or, with "data.", data sources) of type typ
// in file order.
func (m *module) byType(typ string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, b := range m.blocks {
		if (b.Type == "resource" && b.Labels[0] == typ) || (b.Type == "data" && "data."+b.Labels[0] == typ) {
			out = append(out, b)
		}
	}
	return out
}

// at formats a source position for a problem report.
func at(r hcl.Range) string {
	return fmt.Sprintf("%s:%d", r.Filename, r.Start.Line)
}

// problems collects what a check finds wrong, one line each.
type problems []string

func (p *problems) addf(r hcl.Range, format string, args ...any) {
	*p = append(*p, at(r)+": "+fmt.Sprintf(format, args...))
}

// literal returns the value of an expression that needs no variables or
// functions, and false for any other.
func literal(e hclsyntax.Expression) (v cty.Value, ok bool) {
	if len(e.Variables()) > 0 || hasCall(e) {
		return v, false
	}
	v, diags := e.Value(nil)
	if diags.HasErrors() || !v.IsWhollyKnown() {
		return v, false
	}
	return v, true
}

// hasCall reports whether e calls a function anywhere.
func hasCall(e hclsyntax.Expression) bool {
	found := false
	hclsyntax.VisitAll(e, func(n hclsyntax.Node) hcl.Diagnostics {
		if _, ok := n.(*hclsyntax.FunctionCallExpr); ok {
			found = true
		}
		return nil
	})
	return found
}

// literalString returns the value of a literal string expression.
func literalString(e hclsyntax.Expression) (string, bool) {
	v, ok := literal(e)
	if !ok || v.IsNull() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}

// literalStrings returns the elements of a literal list of strings.
func literalStrings(e hclsyntax.Expression) ([]string, bool) {
	v, ok := literal(e)
	if !ok || v.IsNull() || !(v.Type().IsTupleType() || v.Type().IsListType() || v.Type().IsSetType()) {
		return nil, false
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, el := it.Element()
		if el.IsNull() || el.Type() != cty.String {
			return nil, false
		}
		out = append(out, el.AsString())
	}
	return out, true
}

// traversal returns e as a plain reference such as aws_x.name.attr, or nil.
func traversal(e hclsyntax.Expression) hcl.Traversal {
	if s, ok := e.(*hclsyntax.ScopeTraversalExpr); ok {
		return s.Traversal
	}
	return nil
}

// path renders the attribute steps of a traversal as "a.b.c", skipping
// index steps.
func path(t hcl.Traversal) string {
	return strings.Join(names(t), ".")
}

// references reports whether e refers to anything whose path starts with
// prefix (e.g. "local.is_image" or "aws_lambda_alias.").
func references(e hclsyntax.Expression, prefix string) bool {
	for _, t := range e.Variables() {
		if strings.HasPrefix(path(t)+".", prefix) || strings.HasPrefix(path(t), prefix) {
			return true
		}
	}
	return false
}
