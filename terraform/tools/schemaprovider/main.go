// Command schemaprovider is a Terraform provider plugin that stands in for
// registry.terraform.io/hashicorp/aws during `terraform validate` and
// `terraform plan`, since the real provider cannot be downloaded here.
//
// It serves the real provider's schema, read from the file named by
// $JOBMATCH_PROVIDER_SCHEMA (terraform/testdata/provider-schema/aws-6.25.0.json.gz,
// extracted from the npm package @cdktf/provider-aws, which is generated
// from hashicorp/aws 6.25.0), so Terraform core checks every argument, block,
// type and reference against it. It has none of the provider's own logic;
// everything it does follows from the schema alone:
//
//   - validation reports required arguments set to null and accepts any
//     other configuration that fits the schema (so provider-side checks such
//     as enum values do not run);
//   - a plan to create a resource is its configuration, with every computed
//     attribute the configuration leaves null unknown (AWS would say what it
//     is: ARNs, IDs, versions);
//   - a data source reads as its configuration with computed attributes
//     filled in by placeholders ("stand-in-<attribute>-<tag>", 0, false,
//     empty collections), except aws_region, aws_partition and
//     aws_caller_identity, which return the provider's region (default
//     us-east-1), partition aws and account 123456789012, so that ARNs
//     built from them are known;
//   - apply and import fail: it only plans.
//
// The extracted schema does not tell optional from optional+computed
// attributes; "id", which every resource and data source of the SDKs has
// as optional+computed, is served as such so that references to it plan as
// unknown rather than null.
package main

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5/tf5server"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

const address = "registry.terraform.io/hashicorp/aws"

func main() {
	schema, err := load(os.Getenv("JOBMATCH_PROVIDER_SCHEMA"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "schemaprovider:", err)
		os.Exit(1)
	}
	err = tf5server.Serve(address, func() tfprotov5.ProviderServer { return &server{schema: schema} })
	if err != nil {
		fmt.Fprintln(os.Stderr, "schemaprovider:", err)
		os.Exit(1)
	}
}

// jsonBlock is a block of `terraform providers schema -json`.
type jsonBlock struct {
	Attributes map[string]struct {
		Type     json.RawMessage `json:"type"`
		Required bool            `json:"required"`
		Optional bool            `json:"optional"`
		Computed bool            `json:"computed"`
	} `json:"attributes"`
	BlockTypes map[string]struct {
		NestingMode string     `json:"nesting_mode"`
		Block       *jsonBlock `json:"block"`
		MinItems    int64      `json:"min_items"`
		MaxItems    int64      `json:"max_items"`
	} `json:"block_types"`
}

// load reads a gzipped `terraform providers schema -json` document and
// returns the hashicorp/aws part as the protocol's schema response.
func load(path string) (*tfprotov5.GetProviderSchemaResponse, error) {
	if path == "" {
		return nil, fmt.Errorf("JOBMATCH_PROVIDER_SCHEMA is not set")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var doc struct {
		ProviderSchemas map[string]struct {
			Provider          struct{ Block *jsonBlock }            `json:"provider"`
			ResourceSchemas   map[string]struct{ Block *jsonBlock } `json:"resource_schemas"`
			DataSourceSchemas map[string]struct{ Block *jsonBlock } `json:"data_source_schemas"`
		} `json:"provider_schemas"`
	}
	if err := json.NewDecoder(zr).Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	aws, ok := doc.ProviderSchemas[address]
	if !ok || aws.Provider.Block == nil {
		return nil, fmt.Errorf("%s: no %s provider schema", path, address)
	}
	resp := &tfprotov5.GetProviderSchemaResponse{
		ServerCapabilities: &tfprotov5.ServerCapabilities{GetProviderSchemaOptional: false},
		ResourceSchemas:    map[string]*tfprotov5.Schema{},
		DataSourceSchemas:  map[string]*tfprotov5.Schema{},
	}
	if resp.Provider, err = schema(aws.Provider.Block); err != nil {
		return nil, fmt.Errorf("provider: %w", err)
	}
	for name, r := range aws.ResourceSchemas {
		if resp.ResourceSchemas[name], err = schema(r.Block); err != nil {
			return nil, fmt.Errorf("resource %s: %w", name, err)
		}
		computeID(resp.ResourceSchemas[name])
	}
	for name, d := range aws.DataSourceSchemas {
		if resp.DataSourceSchemas[name], err = schema(d.Block); err != nil {
			return nil, fmt.Errorf("data source %s: %w", name, err)
		}
		computeID(resp.DataSourceSchemas[name])
	}
	return resp, nil
}

func schema(b *jsonBlock) (*tfprotov5.Schema, error) {
	pb, err := block(b)
	return &tfprotov5.Schema{Block: pb}, err
}

// computeID makes an optional top-level "id" attribute optional+computed,
// as the SDKs declare it.
func computeID(s *tfprotov5.Schema) {
	for _, a := range s.Block.Attributes {
		if a.Name == "id" && a.Optional {
			a.Computed = true
		}
	}
}

func block(b *jsonBlock) (*tfprotov5.SchemaBlock, error) {
	out := &tfprotov5.SchemaBlock{}
	for _, name := range sortedKeys(b.Attributes) {
		a := b.Attributes[name]
		t, err := tfType(a.Type)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out.Attributes = append(out.Attributes, &tfprotov5.SchemaAttribute{
			Name: name, Type: t, Required: a.Required, Optional: a.Optional, Computed: a.Computed,
		})
	}
	for _, name := range sortedKeys(b.BlockTypes) {
		bt := b.BlockTypes[name]
		nested, err := block(bt.Block)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		mode := map[string]tfprotov5.SchemaNestedBlockNestingMode{
			"single": tfprotov5.SchemaNestedBlockNestingModeSingle,
			"list":   tfprotov5.SchemaNestedBlockNestingModeList,
			"set":    tfprotov5.SchemaNestedBlockNestingModeSet,
			"map":    tfprotov5.SchemaNestedBlockNestingModeMap,
			"group":  tfprotov5.SchemaNestedBlockNestingModeGroup,
		}[bt.NestingMode]
		if mode == tfprotov5.SchemaNestedBlockNestingModeInvalid {
			return nil, fmt.Errorf("%s: nesting mode %q", name, bt.NestingMode)
		}
		// Terraform rejects sets of blocks that hold attributes of any
		// type, which the extracted schema writes for nested attributes it
		// cannot spell out; a list checks the same arguments.
		if mode == tfprotov5.SchemaNestedBlockNestingModeSet && hasDynamic(nested) {
			mode = tfprotov5.SchemaNestedBlockNestingModeList
		}
		out.BlockTypes = append(out.BlockTypes, &tfprotov5.SchemaNestedBlock{
			TypeName: name, Block: nested, Nesting: mode, MinItems: bt.MinItems, MaxItems: bt.MaxItems,
		})
	}
	return out, nil
}

func hasDynamic(b *tfprotov5.SchemaBlock) bool {
	for _, a := range b.Attributes {
		if a.Type.Is(tftypes.DynamicPseudoType) {
			return true
		}
	}
	for _, nb := range b.BlockTypes {
		if hasDynamic(nb.Block) {
			return true
		}
	}
	return false
}

// tfType converts a cty type in its JSON form ("string", ["list","string"],
// "dynamic", ...) to tftypes.
func tfType(raw json.RawMessage) (tftypes.Type, error) {
	var name string
	if json.Unmarshal(raw, &name) == nil {
		switch name {
		case "string":
			return tftypes.String, nil
		case "number":
			return tftypes.Number, nil
		case "bool":
			return tftypes.Bool, nil
		case "dynamic":
			return tftypes.DynamicPseudoType, nil
		}
		return nil, fmt.Errorf("unknown type %q", name)
	}
	var pair []json.RawMessage
	if err := json.Unmarshal(raw, &pair); err != nil || len(pair) != 2 {
		return nil, fmt.Errorf("unknown type %s", raw)
	}
	var kind string
	if err := json.Unmarshal(pair[0], &kind); err != nil {
		return nil, fmt.Errorf("unknown type %s", raw)
	}
	elem, err := tfType(pair[1])
	if err != nil {
		return nil, err
	}
	switch kind {
	case "list":
		return tftypes.List{ElementType: elem}, nil
	case "set":
		return tftypes.Set{ElementType: elem}, nil
	case "map":
		return tftypes.Map{ElementType: elem}, nil
	}
	return nil, fmt.Errorf("unknown type %s", raw)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
