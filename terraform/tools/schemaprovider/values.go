package main

import (
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// visitFunc returns the new value of the attribute a, at path p, whose
// current value is v.
type visitFunc func(p *tftypes.AttributePath, a *tfprotov5.SchemaAttribute, v tftypes.Value) (tftypes.Value, error)

// mapAttributes returns the object v of block b with every attribute,
// including those of nested blocks at any depth, replaced by what f returns
// for it. Null and unknown objects and collections are kept as they are.
func mapAttributes(b *tfprotov5.SchemaBlock, p *tftypes.AttributePath, v tftypes.Value, f visitFunc) (tftypes.Value, error) {
	if v.IsNull() || !v.IsKnown() {
		return v, nil
	}
	var fields map[string]tftypes.Value
	if err := v.As(&fields); err != nil {
		return v, fmt.Errorf("%s: %w", p, err)
	}
	var err error
	for _, a := range b.Attributes {
		if fields[a.Name], err = f(p.WithAttributeName(a.Name), a, fields[a.Name]); err != nil {
			return v, err
		}
	}
	for _, nb := range b.BlockTypes {
		if fields[nb.TypeName], err = mapBlocks(nb, p.WithAttributeName(nb.TypeName), fields[nb.TypeName], f); err != nil {
			return v, err
		}
	}
	return tftypes.NewValue(v.Type(), fields), nil
}

// mapBlocks applies mapAttributes to each block of the nested block type nb,
// whose value (an object, list, set or map of objects) is v.
func mapBlocks(nb *tfprotov5.SchemaNestedBlock, p *tftypes.AttributePath, v tftypes.Value, f visitFunc) (tftypes.Value, error) {
	if v.IsNull() || !v.IsKnown() {
		return v, nil
	}
	switch nb.Nesting {
	case tfprotov5.SchemaNestedBlockNestingModeSingle, tfprotov5.SchemaNestedBlockNestingModeGroup:
		return mapAttributes(nb.Block, p, v, f)
	case tfprotov5.SchemaNestedBlockNestingModeList, tfprotov5.SchemaNestedBlockNestingModeSet:
		var elems []tftypes.Value
		if err := v.As(&elems); err != nil {
			return v, fmt.Errorf("%s: %w", p, err)
		}
		for i, e := range elems {
			ep := p.WithElementKeyInt(i)
			if nb.Nesting == tfprotov5.SchemaNestedBlockNestingModeSet {
				ep = p.WithElementKeyValue(e)
			}
			var err error
			if elems[i], err = mapAttributes(nb.Block, ep, e, f); err != nil {
				return v, err
			}
		}
		return tftypes.NewValue(v.Type(), elems), nil
	case tfprotov5.SchemaNestedBlockNestingModeMap:
		var elems map[string]tftypes.Value
		if err := v.As(&elems); err != nil {
			return v, fmt.Errorf("%s: %w", p, err)
		}
		for k, e := range elems {
			var err error
			if elems[k], err = mapAttributes(nb.Block, p.WithElementKeyString(k), e, f); err != nil {
				return v, err
			}
		}
		return tftypes.NewValue(v.Type(), elems), nil
	}
	return v, fmt.Errorf("%s: nesting mode %v", p, nb.Nesting)
}

// placeholder returns a known value of type t that stands for what the
// provider would have read: name plus tag for a string, zero, false, an
// empty collection, or an object of such values. A dynamic value stays
// null, which is known too.
func placeholder(t tftypes.Type, name, tag string) tftypes.Value {
	switch {
	case t.Is(tftypes.String):
		return tftypes.NewValue(t, "stand-in-"+name+"-"+tag)
	case t.Is(tftypes.Number):
		return tftypes.NewValue(t, new(big.Float))
	case t.Is(tftypes.Bool):
		return tftypes.NewValue(t, false)
	case t.Is(tftypes.List{}), t.Is(tftypes.Set{}), t.Is(tftypes.Tuple{}):
		return tftypes.NewValue(t, []tftypes.Value{})
	case t.Is(tftypes.Map{}):
		return tftypes.NewValue(t, map[string]tftypes.Value{})
	case t.Is(tftypes.Object{}):
		fields := map[string]tftypes.Value{}
		for k, at := range t.(tftypes.Object).AttributeTypes {
			fields[k] = placeholder(at, k, tag)
		}
		return tftypes.NewValue(t, fields)
	}
	return tftypes.NewValue(t, nil)
}
