package main

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// testSchema is a resource or data source with each kind of attribute, and
// a list of nested blocks that has a computed attribute too.
var testSchema = &tfprotov5.Schema{Block: &tfprotov5.SchemaBlock{
	Attributes: []*tfprotov5.SchemaAttribute{
		{Name: "name", Type: tftypes.String, Required: true},
		{Name: "id", Type: tftypes.String, Optional: true, Computed: true},
		{Name: "arn", Type: tftypes.String, Computed: true},
		{Name: "size", Type: tftypes.Number, Computed: true},
		{Name: "ids", Type: tftypes.List{ElementType: tftypes.String}, Computed: true},
		{Name: "tags", Type: tftypes.Map{ElementType: tftypes.String}, Optional: true},
	},
	BlockTypes: []*tfprotov5.SchemaNestedBlock{{
		TypeName: "rule",
		Nesting:  tfprotov5.SchemaNestedBlockNestingModeList,
		Block: &tfprotov5.SchemaBlock{Attributes: []*tfprotov5.SchemaAttribute{
			{Name: "mode", Type: tftypes.String, Optional: true},
			{Name: "state", Type: tftypes.String, Computed: true},
		}},
	}},
}}

var regionSchema = &tfprotov5.Schema{Block: &tfprotov5.SchemaBlock{Attributes: []*tfprotov5.SchemaAttribute{
	{Name: "region", Type: tftypes.String, Optional: true},
	{Name: "description", Type: tftypes.String, Computed: true},
}}}

var providerSchema = &tfprotov5.Schema{Block: &tfprotov5.SchemaBlock{Attributes: []*tfprotov5.SchemaAttribute{
	{Name: "region", Type: tftypes.String, Optional: true},
}}}

func newTestServer() *server {
	return &server{schema: &tfprotov5.GetProviderSchemaResponse{
		Provider:          providerSchema,
		ResourceSchemas:   map[string]*tfprotov5.Schema{"test_thing": testSchema},
		DataSourceSchemas: map[string]*tfprotov5.Schema{"test_thing": testSchema, "aws_region": regionSchema},
	}}
}

var (
	ruleType  = testSchema.Block.BlockTypes[0].ValueType()
	unknownS  = tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	nullS     = tftypes.NewValue(tftypes.String, nil)
	nullTags  = tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, nil)
	ruleElemT = ruleType.(tftypes.List).ElementType
)

// thing builds a test_thing value; nil arguments are null.
func thing(name, id, arn tftypes.Value, size, ids tftypes.Value, rules ...tftypes.Value) tftypes.Value {
	return tftypes.NewValue(testSchema.ValueType(), map[string]tftypes.Value{
		"name": name, "id": id, "arn": arn, "size": size, "ids": ids, "tags": nullTags,
		"rule": tftypes.NewValue(ruleType, rules),
	})
}

func rule(mode, state tftypes.Value) tftypes.Value {
	return tftypes.NewValue(ruleElemT, map[string]tftypes.Value{"mode": mode, "state": state})
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

func dynamic(t *testing.T, typ tftypes.Type, v tftypes.Value) *tfprotov5.DynamicValue {
	t.Helper()
	dv, err := tfprotov5.NewDynamicValue(typ, v)
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

func TestPlanResourceChange(t *testing.T) {
	typ := testSchema.ValueType()
	nullN := tftypes.NewValue(tftypes.Number, nil)
	nullL := tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, nil)
	unknownN := tftypes.NewValue(tftypes.Number, tftypes.UnknownValue)
	unknownL := tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, tftypes.UnknownValue)
	prior := thing(str("a"), str("i-1"), str("arn:1"), tftypes.NewValue(tftypes.Number, big.NewFloat(3)), nullL, rule(str("on"), str("ok")))
	tests := []struct {
		name            string
		prior, proposed tftypes.Value
		want            tftypes.Value
	}{
		{
			name:     "create",
			prior:    tftypes.NewValue(typ, nil),
			proposed: thing(str("a"), nullS, nullS, nullN, nullL, rule(str("on"), nullS)),
			want:     thing(str("a"), unknownS, unknownS, unknownN, unknownL, rule(str("on"), unknownS)),
		},
		{
			name:     "create with id set",
			prior:    tftypes.NewValue(typ, nil),
			proposed: thing(str("a"), str("mine"), nullS, nullN, nullL),
			want:     thing(str("a"), str("mine"), unknownS, unknownN, unknownL),
		},
		{
			name:     "update keeps prior computed values",
			prior:    prior,
			proposed: thing(str("b"), str("i-1"), str("arn:1"), tftypes.NewValue(tftypes.Number, big.NewFloat(3)), nullL, rule(str("on"), str("ok"))),
			want:     thing(str("b"), str("i-1"), str("arn:1"), tftypes.NewValue(tftypes.Number, big.NewFloat(3)), nullL, rule(str("on"), str("ok"))),
		},
		{
			name:     "delete",
			prior:    prior,
			proposed: tftypes.NewValue(typ, nil),
			want:     tftypes.NewValue(typ, nil),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := newTestServer().PlanResourceChange(context.Background(), &tfprotov5.PlanResourceChangeRequest{
				TypeName:         "test_thing",
				PriorState:       dynamic(t, typ, tt.prior),
				ProposedNewState: dynamic(t, typ, tt.proposed),
				Config:           dynamic(t, typ, tt.proposed),
			})
			if err != nil || len(resp.Diagnostics) > 0 {
				t.Fatalf("PlanResourceChange: %v %v", err, details(resp.Diagnostics))
			}
			got, err := resp.PlannedState.Unmarshal(typ)
			if err != nil {
				t.Fatal(err)
			}
			if diffs, _ := got.Diff(tt.want); len(diffs) > 0 {
				t.Errorf("planned %v\nwant    %v\nfirst difference at %s", got, tt.want, diffs[0].Path)
			}
		})
	}
}

func TestReadDataSource(t *testing.T) {
	s := newTestServer()
	provider := tftypes.NewValue(providerSchema.ValueType(), map[string]tftypes.Value{"region": str("eu-west-1")})
	if resp, _ := s.ConfigureProvider(context.Background(), &tfprotov5.ConfigureProviderRequest{Config: dynamic(t, providerSchema.ValueType(), provider)}); len(resp.Diagnostics) > 0 {
		t.Fatal(details(resp.Diagnostics))
	}
	read := func(typeName string, config tftypes.Value) tftypes.Value {
		t.Helper()
		typ := s.schema.DataSourceSchemas[typeName].ValueType()
		resp, err := s.ReadDataSource(context.Background(), &tfprotov5.ReadDataSourceRequest{TypeName: typeName, Config: dynamic(t, typ, config)})
		if err != nil || len(resp.Diagnostics) > 0 {
			t.Fatalf("ReadDataSource %s: %v %v", typeName, err, details(resp.Diagnostics))
		}
		v, err := resp.State.Unmarshal(typ)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}

	nullN := tftypes.NewValue(tftypes.Number, nil)
	nullL := tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, nil)
	got := read("test_thing", thing(str("a"), nullS, nullS, nullN, nullL, rule(str("on"), nullS)))
	if !got.IsFullyKnown() {
		t.Fatalf("read %v, which is not wholly known", got)
	}
	var fields map[string]tftypes.Value
	if err := got.As(&fields); err != nil {
		t.Fatal(err)
	}
	var arn string
	if err := fields["arn"].As(&arn); err != nil || !strings.HasPrefix(arn, "stand-in-arn-") {
		t.Errorf("arn = %v, want a stand-in-arn-<tag> placeholder", fields["arn"])
	}
	want := map[string]tftypes.Value{
		"name": str("a"),
		"size": tftypes.NewValue(tftypes.Number, new(big.Float)),
		"ids":  tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{}),
		"tags": nullTags,
	}
	for k, w := range want {
		if !fields[k].Equal(w) {
			t.Errorf("%s = %v, want %v", k, fields[k], w)
		}
	}
	other := read("test_thing", thing(str("b"), nullS, nullS, nullN, nullL))
	var otherFields map[string]tftypes.Value
	if err := other.As(&otherFields); err != nil {
		t.Fatal(err)
	}
	if otherFields["arn"].Equal(fields["arn"]) {
		t.Errorf("two data sources with different arguments read the same placeholder %v", fields["arn"])
	}

	region := read("aws_region", tftypes.NewValue(regionSchema.ValueType(), map[string]tftypes.Value{"region": nullS, "description": nullS}))
	var regionFields map[string]tftypes.Value
	if err := region.As(&regionFields); err != nil {
		t.Fatal(err)
	}
	if !regionFields["region"].Equal(str("eu-west-1")) {
		t.Errorf("aws_region.region = %v, want the provider's eu-west-1", regionFields["region"])
	}
}

func TestValidateResourceTypeConfig(t *testing.T) {
	typ := testSchema.ValueType()
	nullN := tftypes.NewValue(tftypes.Number, nil)
	nullL := tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, nil)
	tests := []struct {
		name   string
		config tftypes.Value
		want   []string // diagnostic details, in order
	}{
		{"valid", thing(str("a"), unknownS, nullS, nullN, nullL), nil},
		{"required null", thing(nullS, nullS, nullS, nullN, nullL), []string{`The argument "name" is required, but it is null.`}},
		{"computed set", thing(str("a"), nullS, unknownS, nullN, nullL, rule(nullS, str("x"))), []string{
			`Can't configure a value for "arn"`, `Can't configure a value for "state"`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := newTestServer().ValidateResourceTypeConfig(context.Background(), &tfprotov5.ValidateResourceTypeConfigRequest{
				TypeName: "test_thing", Config: dynamic(t, typ, tt.config),
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Diagnostics) != len(tt.want) {
				t.Fatalf("got %d diagnostics %v, want %d", len(resp.Diagnostics), details(resp.Diagnostics), len(tt.want))
			}
			for i, d := range resp.Diagnostics {
				if !strings.HasPrefix(d.Detail, tt.want[i]) {
					t.Errorf("diagnostic %d: %q, want %q", i, d.Detail, tt.want[i])
				}
			}
		})
	}
}

func TestApplyResourceChangeRefuses(t *testing.T) {
	resp, err := newTestServer().ApplyResourceChange(context.Background(), &tfprotov5.ApplyResourceChangeRequest{TypeName: "test_thing"})
	if err != nil || len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Severity != tfprotov5.DiagnosticSeverityError {
		t.Errorf("ApplyResourceChange = %v, %v; want one error", resp, err)
	}
}

func TestUpgradeResourceState(t *testing.T) {
	// State written by another version of the schema may hold attributes
	// this one lacks; they are dropped, the rest is kept.
	raw := []byte(`{"name":"a","id":"i-1","arn":"arn:1","size":3,"ids":["x"],"tags":{"k":"v"},"rule":[{"mode":"on","state":"ok"}],"gone":true}`)
	resp, err := newTestServer().UpgradeResourceState(context.Background(), &tfprotov5.UpgradeResourceStateRequest{
		TypeName: "test_thing", RawState: &tfprotov5.RawState{JSON: raw},
	})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("UpgradeResourceState: %v %v", err, details(resp.Diagnostics))
	}
	got, err := resp.UpgradedState.Unmarshal(testSchema.ValueType())
	if err != nil {
		t.Fatal(err)
	}
	want := tftypes.NewValue(testSchema.ValueType(), map[string]tftypes.Value{
		"name": str("a"), "id": str("i-1"), "arn": str("arn:1"),
		"size": tftypes.NewValue(tftypes.Number, big.NewFloat(3)),
		"ids":  tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{str("x")}),
		"tags": tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{"k": str("v")}),
		"rule": tftypes.NewValue(ruleType, []tftypes.Value{rule(str("on"), str("ok"))}),
	})
	if diffs, _ := got.Diff(want); len(diffs) > 0 {
		t.Errorf("upgraded %v\nwant     %v\nfirst difference at %s", got, want, diffs[0].Path)
	}

	// ReadResource cannot ask AWS and returns the state unchanged.
	read, err := newTestServer().ReadResource(context.Background(), &tfprotov5.ReadResourceRequest{TypeName: "test_thing", CurrentState: resp.UpgradedState})
	if err != nil || read.NewState != resp.UpgradedState {
		t.Errorf("ReadResource = %v, %v; want the current state", read, err)
	}
}

// details returns the details of diags, for failure messages.
func details(diags []*tfprotov5.Diagnostic) []string {
	var out []string
	for _, d := range diags {
		out = append(out, d.Summary+": "+d.Detail)
	}
	return out
}
