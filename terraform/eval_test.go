package terraform

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// functions are the Terraform functions that the modules use, enough to
// evaluate validation conditions and the types of arguments. Functions whose
// result this package cannot compute return an unknown value of any type.
var functions = map[string]function.Function{
	"alltrue":          alltrueFunc,
	"can":              tryfunc.CanFunc,
	"try":              tryfunc.TryFunc,
	"coalesce":         stdlib.CoalesceFunc,
	"concat":           stdlib.ConcatFunc,
	"contains":         stdlib.ContainsFunc,
	"distinct":         stdlib.DistinctFunc,
	"floor":            stdlib.FloorFunc,
	"format":           stdlib.FormatFunc,
	"join":             stdlib.JoinFunc,
	"jsonencode":       stdlib.JSONEncodeFunc,
	"keys":             stdlib.KeysFunc,
	"length":           lengthFunc,
	"lower":            stdlib.LowerFunc,
	"max":              stdlib.MaxFunc,
	"merge":            stdlib.MergeFunc,
	"min":              stdlib.MinFunc,
	"regex":            stdlib.RegexFunc,
	"split":            stdlib.SplitFunc,
	"upper":            stdlib.UpperFunc,
	"filebase64sha256": unknownFunc,
	"one":              unknownFunc,
	"sha256":           unknownFunc,
	"toset":            unknownFunc,
}

var alltrueFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
	Type:   function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		result := cty.True
		for it := args[0].ElementIterator(); it.Next(); {
			_, v := it.Element()
			if v.IsNull() {
				return cty.False, nil
			}
			result = result.And(v)
		}
		return result, nil
	},
})

// lengthFunc is Terraform's length, which also takes strings.
var lengthFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowDynamicType: true, AllowUnknown: true}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if !args[0].IsKnown() {
			return cty.UnknownVal(cty.Number), nil
		}
		if args[0].Type() == cty.String {
			return stdlib.Strlen(args[0])
		}
		return stdlib.Length(args[0])
	},
})

var unknownFunc = function.New(&function.Spec{
	VarParam: &function.Parameter{Name: "args", Type: cty.DynamicPseudoType, AllowDynamicType: true, AllowUnknown: true, AllowNull: true},
	Type:     function.StaticReturnType(cty.DynamicPseudoType),
	Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
		return cty.DynamicVal, nil
	},
})

// varType returns the declared type of variable b, or any type.
func varType(b *hclsyntax.Block) cty.Type {
	if a, ok := b.Body.Attributes["type"]; ok {
		if t, _, diags := typeexpr.TypeConstraintWithDefaults(a.Expr); !diags.HasErrors() {
			return t
		}
	}
	return cty.DynamicPseudoType
}

// accepts reports whether every validation block of variable name holds for
// value v.
func (m *module) accepts(name string, v cty.Value) (bool, error) {
	b, ok := m.variables[name]
	if !ok {
		return false, fmt.Errorf("no variable %q", name)
	}
	ctx := &hcl.EvalContext{
		Variables: map[string]cty.Value{"var": cty.ObjectVal(map[string]cty.Value{name: v})},
		Functions: functions,
	}
	for _, vb := range b.Body.Blocks {
		if vb.Type != "validation" {
			continue
		}
		cond, ok := vb.Body.Attributes["condition"]
		if !ok {
			return false, fmt.Errorf("%s: validation without condition", at(vb.DefRange()))
		}
		got, diags := cond.Expr.Value(ctx)
		if diags.HasErrors() {
			return false, fmt.Errorf("%s: %w", at(cond.SrcRange), diags)
		}
		if got.IsNull() || !got.IsKnown() || got.Type() != cty.Bool {
			return false, fmt.Errorf("%s: condition is %#v, not a known bool", at(cond.SrcRange), got)
		}
		if got.False() {
			return false, nil
		}
	}
	return true, nil
}

// typeOf evaluates e with every variable unknown but of its declared type
// and every other reference unknown of any type, so that the result has the
// type Terraform would give it. It returns false when that is not possible.
func (m *module) typeOf(e hclsyntax.Expression) (cty.Value, bool) {
	vars := map[string]cty.Value{}
	for name, b := range m.variables {
		vars[name] = cty.UnknownVal(varType(b))
	}
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{}, Functions: functions}
	for _, t := range e.Variables() {
		ctx.Variables[t.RootName()] = cty.DynamicVal
	}
	if len(vars) > 0 {
		ctx.Variables["var"] = cty.ObjectVal(vars)
	}
	v, diags := e.Value(ctx)
	if diags.HasErrors() {
		return cty.NilVal, false
	}
	return v, true
}
