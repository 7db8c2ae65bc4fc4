package terraform

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// sortedKeys returns the keys of m in order, so that reports are stable.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// checkDocs reports variables without a valid type or a description, and
// outputs without a description.
func checkDocs(m *module) problems {
	var p problems
	for _, name := range sortedKeys(m.variables) {
		b := m.variables[name]
		if a, ok := b.Body.Attributes["type"]; !ok {
			p.addf(b.DefRange(), "variable %q has no type", name)
		} else if _, _, diags := typeexpr.TypeConstraintWithDefaults(a.Expr); diags.HasErrors() {
			p.addf(a.SrcRange, "variable %q has an invalid type: %s", name, diags.Error())
		}
		if d, ok := b.Body.Attributes["description"]; !ok {
			p.addf(b.DefRange(), "variable %q has no description", name)
		} else if s, ok := literalString(d.Expr); !ok || strings.TrimSpace(s) == "" {
			p.addf(d.SrcRange, "variable %q has an empty or computed description", name)
		}
	}
	for _, name := range sortedKeys(m.outputs) {
		b := m.outputs[name]
		if d, ok := b.Body.Attributes["description"]; !ok {
			p.addf(b.DefRange(), "output %q has no description", name)
		} else if s, ok := literalString(d.Expr); !ok || strings.TrimSpace(s) == "" {
			p.addf(d.SrcRange, "output %q has an empty or computed description", name)
		}
	}
	return p
}

// checkVersions reports a module whose terraform block does not pin
// Terraform to a range that holds 1.5.7, or the AWS provider to major
// version 6 including 6.25.0, the version whose schema the tests use.
func checkVersions(m *module) problems {
	var p problems
	var tfOK, awsOK bool
	for _, b := range m.terraform {
		if a, ok := b.Body.Attributes["required_version"]; ok {
			s, _ := literalString(a.Expr)
			if allows(s, "1.5.7") {
				tfOK = true
			} else {
				p.addf(a.SrcRange, "required_version %q does not allow Terraform 1.5.7", s)
			}
		}
		for _, rp := range b.Body.Blocks {
			if rp.Type != "required_providers" {
				continue
			}
			a, ok := rp.Body.Attributes["aws"]
			if !ok {
				continue
			}
			v, ok := literal(a.Expr)
			if !ok || !v.Type().IsObjectType() || !v.Type().HasAttribute("source") || !v.Type().HasAttribute("version") {
				p.addf(a.SrcRange, "required_providers.aws must be { source = ..., version = ... }")
				continue
			}
			source, version := v.GetAttr("source").AsString(), v.GetAttr("version").AsString()
			switch {
			case source != "hashicorp/aws":
				p.addf(a.SrcRange, "required_providers.aws.source is %q, want hashicorp/aws", source)
			case !allows(version, "6.25.0") || allows(version, "7.0.0") || allows(version, "5.99.0"):
				p.addf(a.SrcRange, "required_providers.aws.version %q must allow 6.25.0 and exclude 5.x and 7.x", version)
			default:
				awsOK = true
			}
		}
	}
	if !tfOK {
		p = append(p, m.dir+": no terraform { required_version } that allows 1.5.7")
	}
	if !awsOK {
		p = append(p, m.dir+": no terraform { required_providers { aws } } pinned to 6.x")
	}
	return p
}

// allows reports whether the version constraint c (">= 1.5.7", "~> 6.0",
// ">= 6.25.0, < 7.0.0", ...) holds for version v. An empty or malformed
// constraint allows nothing.
func allows(c, v string) bool {
	want := parseVersion(v)
	if strings.TrimSpace(c) == "" || want == nil {
		return false
	}
	for _, part := range strings.Split(c, ",") {
		part = strings.TrimSpace(part)
		op := strings.TrimRight(part, "0123456789. ")
		ver := parseVersion(strings.TrimSpace(part[len(op):]))
		if ver == nil {
			return false
		}
		cmp := compareVersions(want, ver)
		var ok bool
		switch strings.TrimSpace(op) {
		case "", "=":
			ok = cmp == 0
		case "!=":
			ok = cmp != 0
		case ">":
			ok = cmp > 0
		case ">=":
			ok = cmp >= 0
		case "<":
			ok = cmp < 0
		case "<=":
			ok = cmp <= 0
		case "~>":
			// ~> 6.2 means >= 6.2, < 7; ~> 6.2.1 means >= 6.2.1, < 6.3.
			upper := append([]int(nil), ver[:len(ver)-1]...)
			if len(upper) == 0 {
				return false
			}
			upper[len(upper)-1]++
			ok = cmp >= 0 && compareVersions(want, upper) < 0
		default:
			return false
		}
		if !ok {
			return false
		}
	}
	return true
}

func parseVersion(s string) []int {
	if s == "" {
		return nil
	}
	var out []int
	for _, f := range strings.Split(s, ".") {
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil
		}
		out = append(out, n)
	}
	return out
}

func compareVersions(a, b []int) int {
	for i := 0; i < len(a) || i < len(b); i++ {
		var x, y int
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// checkPayloadFormat reports Lambda proxy integrations that do not set
// payload_format_version = "2.0". The provider defaults to 1.0, whose event
// (APIGatewayProxyRequest) is not what the handler decodes
// (APIGatewayV2HTTPRequest).
func checkPayloadFormat(m *module) problems {
	var p problems
	for _, b := range m.byType("aws_apigatewayv2_integration") {
		if a, ok := b.Body.Attributes["integration_type"]; ok {
			if s, _ := literalString(a.Expr); s != "AWS_PROXY" {
				continue
			}
		}
		a, ok := b.Body.Attributes["payload_format_version"]
		if !ok {
			p.addf(b.DefRange(), "integration %s has no payload_format_version; the provider's default 1.0 breaks the handler", b.Labels[1])
			continue
		}
		if s, _ := literalString(a.Expr); s != "2.0" {
			p.addf(a.SrcRange, "integration %s: payload_format_version must be the literal \"2.0\"", b.Labels[1])
		}
	}
	return p
}

// checkAccepts reports where variable name's validation does not accept
// exactly the values in want that are true.
func checkAccepts(m *module, name string, want map[cty.Value]bool) problems {
	var p problems
	b, ok := m.variables[name]
	if !ok {
		return problems{fmt.Sprintf("%s: no variable %q", m.dir, name)}
	}
	values := make([]cty.Value, 0, len(want))
	for v := range want {
		values = append(values, v)
	}
	sort.Slice(values, func(i, j int) bool { return values[i].GoString() < values[j].GoString() })
	for _, v := range values {
		got, err := m.accepts(name, v)
		if err != nil {
			p.addf(b.DefRange(), "variable %q with %#v: %v", name, v, err)
		} else if got != want[v] {
			p.addf(b.DefRange(), "variable %q: validation accepts %#v = %t, want %t", name, v, got, want[v])
		}
	}
	return p
}

// checkDefault reports when variable name's default is not want.
func checkDefault(m *module, name string, want cty.Value) problems {
	var p problems
	b, ok := m.variables[name]
	if !ok {
		return problems{fmt.Sprintf("%s: no variable %q", m.dir, name)}
	}
	d, ok := b.Body.Attributes["default"]
	if !ok {
		p.addf(b.DefRange(), "variable %q has no default, want %#v", name, want)
		return p
	}
	if got, ok := literal(d.Expr); !ok || !got.RawEquals(want) {
		p.addf(d.SrcRange, "variable %q does not default to %#v", name, want)
	}
	return p
}

// architectures are the values an architecture variable must accept (true)
// or reject (false): Lambda knows arm64 and x86_64, while amd64 and aarch64
// are what Go and Docker call them.
var architectures = map[cty.Value]bool{
	cty.StringVal("arm64"):   true,
	cty.StringVal("x86_64"):  true,
	cty.StringVal("amd64"):   false,
	cty.StringVal("aarch64"): false,
	cty.StringVal("ARM64"):   false,
	cty.StringVal(""):        false,
}

// checkArchitecture reports a variable "architecture" that does not default
// to arm64 or whose validation lets through anything but arm64 and x86_64.
func checkArchitecture(m *module) problems {
	return append(checkDefault(m, "architecture", cty.StringVal("arm64")), checkAccepts(m, "architecture", architectures)...)
}

// checkTimeout reports a timeout variable whose validation accepts more
// than the 30 s an HTTP API integration waits, or rejects 1 to 30.
func checkTimeout(m *module, name string) problems {
	return checkAccepts(m, name, map[cty.Value]bool{
		cty.NumberIntVal(0):   false,
		cty.NumberIntVal(1):   true,
		cty.NumberIntVal(15):  true,
		cty.NumberIntVal(30):  true,
		cty.NumberIntVal(31):  false,
		cty.NumberIntVal(120): false,
	})
}

// checkUnused reports variables, locals and data sources that nothing in
// the module refers to: dead inputs mislead callers (tflint's
// terraform_unused_declarations, without tflint).
func checkUnused(m *module) problems {
	used := map[string]bool{}
	for _, b := range m.blocks {
		hclsyntax.VisitAll(b.Body, func(n hclsyntax.Node) hcl.Diagnostics {
			var t hcl.Traversal
			switch e := n.(type) {
			case *hclsyntax.ScopeTraversalExpr:
				t = e.Traversal
			case *hclsyntax.SplatExpr:
				if src, ok := e.Source.(*hclsyntax.ScopeTraversalExpr); ok {
					t = src.Traversal
				}
			}
			if n := names(t); len(n) >= 2 {
				used[n[0]+"."+n[1]] = true
				if len(n) >= 3 {
					used[n[0]+"."+n[1]+"."+n[2]] = true
				}
			}
			return nil
		})
	}
	var p problems
	for _, name := range sortedKeys(m.variables) {
		if !used["var."+name] {
			p.addf(m.variables[name].DefRange(), "variable %q is declared but not used", name)
		}
	}
	for _, name := range sortedKeys(m.locals) {
		if !used["local."+name] {
			p.addf(m.locals[name].SrcRange, "local value %q is declared but not used", name)
		}
	}
	for _, b := range m.blocks {
		if b.Type == "data" && !used["data."+b.Labels[0]+"."+b.Labels[1]] {
			p.addf(b.DefRange(), "data source %s.%s is declared but not used", b.Labels[0], b.Labels[1])
		}
	}
	return p
}
