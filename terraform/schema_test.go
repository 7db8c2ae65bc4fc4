package terraform

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// schemaFile is the AWS provider's schema, extracted by
// testdata/provider-schema/generate.sh from npm @cdktf/provider-aws@21.22.1,
// which cdktf generated from registry.terraform.io/hashicorp/aws 6.25.0.
const schemaFile = "testdata/provider-schema/aws-6.25.0.json.gz"

// schemaBlock is a block of `terraform providers schema -json`.
type schemaBlock struct {
	Attributes map[string]*schemaAttribute `json:"attributes"`
	BlockTypes map[string]*schemaBlockType `json:"block_types"`
}

type schemaAttribute struct {
	Type     json.RawMessage `json:"type"`
	Required bool            `json:"required"`
	Optional bool            `json:"optional"`
	Computed bool            `json:"computed"`
}

type schemaBlockType struct {
	NestingMode string       `json:"nesting_mode"`
	Block       *schemaBlock `json:"block"`
	MinItems    int          `json:"min_items"`
	MaxItems    int          `json:"max_items"`
}

// providerSchema holds the resource and data source schemas by type name.
type providerSchema struct {
	Provider    *schemaBlock
	Resources   map[string]*schemaBlock
	DataSources map[string]*schemaBlock
}

var loadSchema = sync.OnceValues(func() (*providerSchema, error) {
	f, err := os.Open(schemaFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", schemaFile, err)
	}
	var raw struct {
		ProviderSchemas map[string]struct {
			Provider          struct{ Block *schemaBlock }            `json:"provider"`
			ResourceSchemas   map[string]struct{ Block *schemaBlock } `json:"resource_schemas"`
			DataSourceSchemas map[string]struct{ Block *schemaBlock } `json:"data_source_schemas"`
		} `json:"provider_schemas"`
	}
	if err := json.NewDecoder(zr).Decode(&raw); err != nil {
		return nil, fmt.Errorf("%s: %w", schemaFile, err)
	}
	aws, ok := raw.ProviderSchemas["registry.terraform.io/hashicorp/aws"]
	if !ok {
		return nil, fmt.Errorf("%s: no hashicorp/aws provider", schemaFile)
	}
	s := &providerSchema{Provider: aws.Provider.Block, Resources: map[string]*schemaBlock{}, DataSources: map[string]*schemaBlock{}}
	if s.Provider == nil {
		return nil, fmt.Errorf("%s: no provider configuration schema", schemaFile)
	}
	for name, r := range aws.ResourceSchemas {
		s.Resources[name] = r.Block
	}
	for name, d := range aws.DataSourceSchemas {
		s.DataSources[name] = d.Block
	}
	return s, nil
})

// block returns the schema of the resource or data source block b.
func (s *providerSchema) block(b *hclsyntax.Block) *schemaBlock {
	if b.Type == "data" {
		return s.DataSources[b.Labels[0]]
	}
	return s.Resources[b.Labels[0]]
}

// metaArguments are the arguments and blocks Terraform itself takes in
// resource and data blocks.
var (
	metaAttributes = map[string]bool{"count": true, "for_each": true, "depends_on": true, "provider": true}
	metaBlocks     = map[string]bool{"lifecycle": true, "provisioner": true, "connection": true}
)

// checkSchema reports resource and data source blocks that the AWS provider
// would reject: unknown types, unknown arguments or blocks, missing required
// ones, too many blocks, and values of the wrong type.
func checkSchema(m *module, s *providerSchema) problems {
	var p problems
	for _, b := range m.blocks {
		if b.Type == "provider" && len(b.Labels) == 1 && b.Labels[0] == "aws" {
			body := *b.Body
			body.Attributes = map[string]*hclsyntax.Attribute{}
			for name, a := range b.Body.Attributes {
				if name != "alias" { // Terraform's, not the provider's
					body.Attributes[name] = a
				}
			}
			p = append(p, checkBody(m, "provider aws", &body, s.Provider, false)...)
			continue
		}
		if b.Type != "resource" && b.Type != "data" {
			continue
		}
		if !strings.HasPrefix(b.Labels[0], "aws_") {
			p.addf(b.DefRange(), "%s %s: only the hashicorp/aws provider is available", b.Type, b.Labels[0])
			continue
		}
		sb := s.block(b)
		if sb == nil {
			p.addf(b.DefRange(), "%s type %q does not exist in hashicorp/aws 6.25.0", b.Type, b.Labels[0])
			continue
		}
		p = append(p, checkBody(m, b.Type+" "+strings.Join(b.Labels, "."), b.Body, sb, true)...)
	}
	return p
}

// checkBody checks one block body against its schema; top says whether
// meta-arguments are allowed.
func checkBody(m *module, where string, body *hclsyntax.Body, sb *schemaBlock, top bool) problems {
	var p problems
	for _, name := range sortedKeys(body.Attributes) {
		a := body.Attributes[name]
		if top && metaAttributes[name] {
			continue
		}
		sa, ok := sb.Attributes[name]
		switch {
		case !ok && sb.BlockTypes[name] != nil:
			p.addf(a.SrcRange, "%s: %s is a block, not an argument", where, name)
			continue
		case !ok:
			p.addf(a.SrcRange, "%s: unsupported argument %q", where, name)
			continue
		case !sa.Required && !sa.Optional:
			p.addf(a.SrcRange, "%s: %q is computed by the provider and cannot be set", where, name)
			continue
		}
		want, err := ctyTypeJSON(sa.Type)
		if err != nil {
			p.addf(a.SrcRange, "%s: schema type of %q: %v", where, name, err)
			continue
		}
		if v, ok := m.typeOf(a.Expr); ok {
			if _, err := convert.Convert(v, want); err != nil {
				p.addf(a.SrcRange, "%s: %q needs %s: %v", where, name, want.FriendlyName(), err)
			}
		}
	}
	for _, name := range sortedKeys(sb.Attributes) {
		if _, ok := body.Attributes[name]; !ok && sb.Attributes[name].Required {
			p.addf(body.SrcRange, "%s: missing required argument %q", where, name)
		}
	}
	counts := map[string]int{}
	dynamic := map[string]bool{}
	for _, nb := range body.Blocks {
		name, nbody := nb.Type, nb.Body
		if top && metaBlocks[name] {
			continue
		}
		if name == "dynamic" {
			if len(nb.Labels) != 1 {
				p.addf(nb.DefRange(), "%s: dynamic block needs one label", where)
				continue
			}
			name, nbody = nb.Labels[0], nil
			for _, c := range nb.Body.Blocks {
				if c.Type == "content" {
					nbody = c.Body
				}
			}
			if _, ok := nb.Body.Attributes["for_each"]; !ok || nbody == nil {
				p.addf(nb.DefRange(), "%s: dynamic %q needs for_each and a content block", where, name)
				continue
			}
			dynamic[name] = true
		}
		bt, ok := sb.BlockTypes[name]
		if !ok {
			if sb.Attributes[name] != nil {
				p.addf(nb.DefRange(), "%s: %s is an argument (%s = ...), not a block", where, name, name)
			} else {
				p.addf(nb.DefRange(), "%s: unsupported block %q", where, name)
			}
			continue
		}
		counts[name]++
		p = append(p, checkBody(m, where+"."+name, nbody, bt.Block, false)...)
	}
	for _, name := range sortedKeys(sb.BlockTypes) {
		bt := sb.BlockTypes[name]
		if dynamic[name] {
			continue // the number of dynamic blocks is known only at plan time
		}
		if counts[name] < bt.MinItems {
			p.addf(body.SrcRange, "%s: needs at least %d %q block(s)", where, bt.MinItems, name)
		}
		if bt.MaxItems > 0 && counts[name] > bt.MaxItems {
			p.addf(body.SrcRange, "%s: at most %d %q block(s) allowed", where, bt.MaxItems, name)
		}
	}
	return p
}

func ctyTypeJSON(raw json.RawMessage) (cty.Type, error) {
	var t cty.Type
	err := t.UnmarshalJSON(raw)
	return t, err
}

// checkReferences reports references to things that do not exist: undeclared
// variables, locals, resources, data sources and module calls, attributes the
// provider does not export, outputs the called module does not declare, and
// attributes of counted resources read without an index.
func checkReferences(m *module, s *providerSchema, calls map[string]*module) problems {
	var p problems
	for _, b := range m.blocks {
		hclsyntax.VisitAll(b.Body, func(n hclsyntax.Node) hcl.Diagnostics {
			switch e := n.(type) {
			case *hclsyntax.ScopeTraversalExpr:
				p = append(p, checkTraversal(m, s, calls, e.Traversal, nil)...)
			case *hclsyntax.SplatExpr:
				if src, ok := e.Source.(*hclsyntax.ScopeTraversalExpr); ok {
					if each, ok := e.Each.(*hclsyntax.RelativeTraversalExpr); ok {
						p = append(p, checkTraversal(m, s, calls, src.Traversal, each.Traversal)...)
					}
				}
			}
			return nil
		})
	}
	return p
}

// checkTraversal checks one reference; splat is the traversal applied to
// each element when the reference is the source of a [*] splat.
func checkTraversal(m *module, s *providerSchema, calls map[string]*module, t, splat hcl.Traversal) problems {
	var p problems
	steps := names(t)
	rng := t.SourceRange()
	switch root := t.RootName(); {
	case root == "var":
		if len(steps) < 2 || m.variables[steps[1]] == nil {
			p.addf(rng, "reference to undeclared variable %s", path(t))
		}
	case root == "local":
		if len(steps) < 2 || m.locals[steps[1]] == nil {
			p.addf(rng, "reference to undeclared local value %s", path(t))
		}
	case root == "module":
		if len(steps) < 2 || m.calls[steps[1]] == nil {
			p.addf(rng, "reference to undeclared module %s", path(t))
			break
		}
		sub, rest := calls[steps[1]], attrsAfter(t, 2, splat)
		if sub != nil && len(rest) > 0 && sub.outputs[rest[0]] == nil {
			p.addf(rng, "module %s (%s) has no output %q", steps[1], sub.dir, rest[0])
		}
		if counted(m.calls[steps[1]]) && splat == nil && len(t) > 2 {
			if _, ok := t[2].(hcl.TraverseAttr); ok {
				p.addf(rng, "module %s has count or for_each: index it or use [*] before .%s", steps[1], steps[2])
			}
		}
	case root == "data":
		if len(steps) < 3 || m.resources["data."+steps[1]+"."+steps[2]] == nil {
			p.addf(rng, "reference to undeclared data source %s", path(t))
			break
		}
		p = append(p, checkExported(m.resources["data."+steps[1]+"."+steps[2]], s.DataSources[steps[1]], t, 3, splat)...)
	case strings.HasPrefix(root, "aws_"):
		if len(steps) < 2 || m.resources[steps[0]+"."+steps[1]] == nil {
			p.addf(rng, "reference to undeclared resource %s", path(t))
			break
		}
		p = append(p, checkExported(m.resources[steps[0]+"."+steps[1]], s.Resources[steps[0]], t, 2, splat)...)
	}
	return p
}

// checkExported checks that the attribute read after step i of t (or in the
// splat) exists on resource b, and that counted resources are indexed.
func checkExported(b *hclsyntax.Block, sb *schemaBlock, t hcl.Traversal, i int, splat hcl.Traversal) problems {
	var p problems
	if sb == nil {
		return p // checkSchema reports the unknown type
	}
	rest := attrsAfter(t, i, splat)
	if len(rest) > 0 && sb.Attributes[rest[0]] == nil && sb.BlockTypes[rest[0]] == nil {
		p.addf(t.SourceRange(), "%s has no attribute %q in hashicorp/aws 6.25.0", strings.Join(b.Labels, "."), rest[0])
	}
	if counted(b) && splat == nil && len(t) > i {
		if _, ok := t[i].(hcl.TraverseAttr); ok {
			p.addf(t.SourceRange(), "%s has count or for_each: index it or use [*] before .%s", strings.Join(b.Labels, "."), rest[0])
		}
	}
	return p
}

// attrsAfter returns the attribute names read after step i of t, skipping
// indexes, followed by those of the splat.
func attrsAfter(t hcl.Traversal, i int, splat hcl.Traversal) []string {
	var out []string
	if i < len(t) {
		out = append(out, names(t[i:])...)
	}
	return append(out, names(splat)...)
}

func names(t hcl.Traversal) []string {
	var out []string
	for _, step := range t {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			out = append(out, s.Name)
		case hcl.TraverseAttr:
			out = append(out, s.Name)
		}
	}
	return out
}

func counted(b *hclsyntax.Block) bool {
	_, c := b.Body.Attributes["count"]
	_, f := b.Body.Attributes["for_each"]
	return c || f
}

// moduleMeta are the arguments Terraform itself takes in a module block.
var moduleMeta = map[string]bool{"source": true, "version": true, "count": true, "for_each": true, "providers": true, "depends_on": true}

// checkCalls loads every local module that m calls and reports unknown
// arguments, missing required ones (variables without a default) and
// arguments whose type the variable cannot take. It returns the loaded
// modules by call name.
func checkCalls(m *module) (problems, map[string]*module) {
	var p problems
	calls := map[string]*module{}
	for _, name := range sortedKeys(m.calls) {
		b := m.calls[name]
		src, ok := literalString(attrExpr(b.Body, "source"))
		if !ok || !(strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../")) {
			p.addf(b.DefRange(), "module %s: source must be a literal local path", name)
			continue
		}
		sub, err := loadModule(filepath.Join(m.dir, src))
		if err != nil {
			p.addf(b.DefRange(), "module %s: %v", name, err)
			continue
		}
		calls[name] = sub
		for _, arg := range sortedKeys(b.Body.Attributes) {
			a := b.Body.Attributes[arg]
			if moduleMeta[arg] {
				continue
			}
			v, ok := sub.variables[arg]
			if !ok {
				p.addf(a.SrcRange, "module %s: unsupported argument %q (%s declares no such variable)", name, arg, src)
				continue
			}
			if got, ok := m.typeOf(a.Expr); ok {
				if _, err := convert.Convert(got, varType(v)); err != nil {
					p.addf(a.SrcRange, "module %s: argument %q needs %s: %v", name, arg, varType(v).FriendlyName(), err)
				}
			}
		}
		for _, nb := range b.Body.Blocks {
			p.addf(nb.DefRange(), "module %s: blocks are not arguments of a module call", name)
		}
		for _, v := range sortedKeys(sub.variables) {
			if _, hasDefault := sub.variables[v].Body.Attributes["default"]; !hasDefault {
				if _, set := b.Body.Attributes[v]; !set {
					p.addf(b.DefRange(), "module %s: missing required argument %q", name, v)
				}
			}
		}
	}
	return p, calls
}

// checkModule runs every check that applies to any module and returns what
// they find.
func checkModule(m *module) problems {
	s, err := loadSchema()
	if err != nil {
		return problems{err.Error()}
	}
	p, calls := checkCalls(m)
	p = append(p, checkDocs(m)...)
	p = append(p, checkUnused(m)...)
	p = append(p, checkVersions(m)...)
	p = append(p, checkSchema(m, s)...)
	p = append(p, checkReferences(m, s, calls)...)
	p = append(p, checkPayloadFormat(m)...)
	p = append(p, checkIAM(m)...)
	p = append(p, checkAliases(m)...)
	p = append(p, checkInvokePermissions(m)...)
	return p
}
