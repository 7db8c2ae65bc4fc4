// Command schemaprovider is a Terraform provider plugin that stands in for
// registry.terraform.io/hashicorp/aws during `terraform validate`, which
// cannot download the real provider here.
//
// It serves the real provider's schema, read from the file named by
// $JOBMATCH_PROVIDER_SCHEMA (terraform/testdata/provider-schema/aws-6.25.0.json.gz,
// extracted from the npm package @cdktf/provider-aws, which is generated
// from hashicorp/aws 6.25.0), so Terraform core checks every argument, block,
// type and reference against it. It has none of the provider's own logic:
// its validation RPCs accept any configuration that fits the schema (so
// provider-side checks such as enum values do not run), and it cannot
// plan, apply or read anything; Terraform never calls those during validate,
// and if it did the plugin would fail loudly.
package main

import (
	"compress/gzip"
	"context"
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

// server answers the RPCs of `terraform validate`. The embedded interface
// is nil: any other RPC panics, which Terraform reports as a plugin crash.
type server struct {
	tfprotov5.ProviderServer
	schema *tfprotov5.GetProviderSchemaResponse
}

func (s *server) GetMetadata(context.Context, *tfprotov5.GetMetadataRequest) (*tfprotov5.GetMetadataResponse, error) {
	resp := &tfprotov5.GetMetadataResponse{ServerCapabilities: s.schema.ServerCapabilities}
	for _, name := range sortedKeys(s.schema.ResourceSchemas) {
		resp.Resources = append(resp.Resources, tfprotov5.ResourceMetadata{TypeName: name})
	}
	for _, name := range sortedKeys(s.schema.DataSourceSchemas) {
		resp.DataSources = append(resp.DataSources, tfprotov5.DataSourceMetadata{TypeName: name})
	}
	return resp, nil
}

func (s *server) GetProviderSchema(context.Context, *tfprotov5.GetProviderSchemaRequest) (*tfprotov5.GetProviderSchemaResponse, error) {
	return s.schema, nil
}

func (s *server) PrepareProviderConfig(_ context.Context, req *tfprotov5.PrepareProviderConfigRequest) (*tfprotov5.PrepareProviderConfigResponse, error) {
	return &tfprotov5.PrepareProviderConfigResponse{PreparedConfig: req.Config}, nil
}

func (s *server) ValidateResourceTypeConfig(context.Context, *tfprotov5.ValidateResourceTypeConfigRequest) (*tfprotov5.ValidateResourceTypeConfigResponse, error) {
	return &tfprotov5.ValidateResourceTypeConfigResponse{}, nil
}

func (s *server) ValidateDataSourceConfig(context.Context, *tfprotov5.ValidateDataSourceConfigRequest) (*tfprotov5.ValidateDataSourceConfigResponse, error) {
	return &tfprotov5.ValidateDataSourceConfigResponse{}, nil
}

func (s *server) StopProvider(context.Context, *tfprotov5.StopProviderRequest) (*tfprotov5.StopProviderResponse, error) {
	return &tfprotov5.StopProviderResponse{}, nil
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
	}
	for name, d := range aws.DataSourceSchemas {
		if resp.DataSourceSchemas[name], err = schema(d.Block); err != nil {
			return nil, fmt.Errorf("data source %s: %w", name, err)
		}
	}
	return resp, nil
}

func schema(b *jsonBlock) (*tfprotov5.Schema, error) {
	pb, err := block(b)
	return &tfprotov5.Schema{Block: pb}, err
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
