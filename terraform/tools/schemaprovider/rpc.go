package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// server answers the RPCs of `terraform validate` and `terraform plan`,
// from the schema alone. The embedded interface is nil: any other RPC
// panics, which Terraform reports as a plugin crash.
type server struct {
	tfprotov5.ProviderServer
	schema *tfprotov5.GetProviderSchemaResponse

	mu     sync.Mutex
	region string // of the provider configuration, for aws_region
}

// defaultRegion is the region when the provider configuration sets none
// (the real provider would take it from the environment).
const defaultRegion = "us-east-1"

// fixed holds the values of the data sources that describe where the
// provider runs, so that ARNs built from them are known at plan time:
// account 123456789012 is the one AWS uses in its documentation. An entry
// applies only where the configuration leaves the attribute null. The
// region comes from the provider configuration (see dataSourceValue).
var fixed = map[string]map[string]string{
	"aws_caller_identity": {
		"account_id": "123456789012",
		"arn":        "arn:aws:iam::123456789012:user/stand-in",
		"id":         "123456789012",
	},
	"aws_partition": {
		"partition":          "aws",
		"dns_suffix":         "amazonaws.com",
		"reverse_dns_prefix": "com.amazonaws",
		"id":                 "aws",
	},
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

// ConfigureProvider accepts any configuration and keeps its region.
func (s *server) ConfigureProvider(_ context.Context, req *tfprotov5.ConfigureProviderRequest) (*tfprotov5.ConfigureProviderResponse, error) {
	region := defaultRegion
	if req.Config != nil {
		cfg, err := req.Config.Unmarshal(s.schema.Provider.ValueType())
		if err != nil {
			return &tfprotov5.ConfigureProviderResponse{Diagnostics: errorDiagnostics("provider configuration", err)}, nil
		}
		var fields map[string]tftypes.Value
		var r string
		if cfg.As(&fields) == nil && fields["region"].IsKnown() && !fields["region"].IsNull() && fields["region"].As(&r) == nil {
			region = r
		}
	}
	s.mu.Lock()
	s.region = region
	s.mu.Unlock()
	return &tfprotov5.ConfigureProviderResponse{}, nil
}

// ValidateResourceTypeConfig reports required arguments that are set to
// null and computed-only attributes that are set at all, as the real
// provider does; everything else that the schema says Terraform core has
// checked already.
func (s *server) ValidateResourceTypeConfig(_ context.Context, req *tfprotov5.ValidateResourceTypeConfigRequest) (*tfprotov5.ValidateResourceTypeConfigResponse, error) {
	diags, err := checkArguments(s.schema.ResourceSchemas[req.TypeName], req.Config)
	if err != nil {
		diags = errorDiagnostics("resource "+req.TypeName, err)
	}
	return &tfprotov5.ValidateResourceTypeConfigResponse{Diagnostics: diags}, nil
}

// ValidateDataSourceConfig does for data sources what
// ValidateResourceTypeConfig does for resources.
func (s *server) ValidateDataSourceConfig(_ context.Context, req *tfprotov5.ValidateDataSourceConfigRequest) (*tfprotov5.ValidateDataSourceConfigResponse, error) {
	diags, err := checkArguments(s.schema.DataSourceSchemas[req.TypeName], req.Config)
	if err != nil {
		diags = errorDiagnostics("data source "+req.TypeName, err)
	}
	return &tfprotov5.ValidateDataSourceConfigResponse{Diagnostics: diags}, nil
}

func checkArguments(sch *tfprotov5.Schema, config *tfprotov5.DynamicValue) ([]*tfprotov5.Diagnostic, error) {
	if sch == nil || config == nil {
		return nil, fmt.Errorf("no schema or no configuration")
	}
	v, err := config.Unmarshal(sch.ValueType())
	if err != nil {
		return nil, err
	}
	var diags []*tfprotov5.Diagnostic
	_, err = mapAttributes(sch.Block, tftypes.NewAttributePath(), v, func(p *tftypes.AttributePath, a *tfprotov5.SchemaAttribute, v tftypes.Value) (tftypes.Value, error) {
		if a.Required && v.IsNull() {
			diags = append(diags, &tfprotov5.Diagnostic{
				Severity:  tfprotov5.DiagnosticSeverityError,
				Summary:   "Missing required argument",
				Detail:    fmt.Sprintf("The argument %q is required, but it is null.", a.Name),
				Attribute: p,
			})
		}
		if a.Computed && !a.Optional && !a.Required && !v.IsNull() {
			diags = append(diags, &tfprotov5.Diagnostic{
				Severity:  tfprotov5.DiagnosticSeverityError,
				Summary:   "Value for unconfigurable attribute",
				Detail:    fmt.Sprintf("Can't configure a value for %q: its value will be decided automatically based on the result of applying this configuration.", a.Name),
				Attribute: p,
			})
		}
		return v, nil
	})
	return diags, err
}

// UpgradeResourceState reads the stored state with the current schema;
// there is one schema version, so nothing is upgraded.
func (s *server) UpgradeResourceState(_ context.Context, req *tfprotov5.UpgradeResourceStateRequest) (*tfprotov5.UpgradeResourceStateResponse, error) {
	sch := s.schema.ResourceSchemas[req.TypeName]
	if sch == nil || req.RawState == nil {
		return &tfprotov5.UpgradeResourceStateResponse{Diagnostics: errorDiagnostics("resource "+req.TypeName, fmt.Errorf("no schema or no state"))}, nil
	}
	v, err := req.RawState.UnmarshalWithOpts(sch.ValueType(), tfprotov5.UnmarshalOpts{
		ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true},
	})
	if err != nil {
		return &tfprotov5.UpgradeResourceStateResponse{Diagnostics: errorDiagnostics("resource "+req.TypeName+" state", err)}, nil
	}
	dv, err := tfprotov5.NewDynamicValue(sch.ValueType(), v)
	if err != nil {
		return &tfprotov5.UpgradeResourceStateResponse{Diagnostics: errorDiagnostics("resource "+req.TypeName+" state", err)}, nil
	}
	return &tfprotov5.UpgradeResourceStateResponse{UpgradedState: &dv}, nil
}

// ReadResource cannot ask AWS, so it returns the state as it was.
func (s *server) ReadResource(_ context.Context, req *tfprotov5.ReadResourceRequest) (*tfprotov5.ReadResourceResponse, error) {
	return &tfprotov5.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private}, nil
}

// PlanResourceChange plans the proposed new state. On create, every
// computed attribute that the configuration leaves null, in nested blocks
// too, becomes unknown: only AWS could say what it will be. On update and
// delete the proposed state already keeps the prior computed values, and
// no change is planned to need a replacement.
func (s *server) PlanResourceChange(_ context.Context, req *tfprotov5.PlanResourceChangeRequest) (*tfprotov5.PlanResourceChangeResponse, error) {
	sch := s.schema.ResourceSchemas[req.TypeName]
	if sch == nil || req.PriorState == nil || req.ProposedNewState == nil {
		return &tfprotov5.PlanResourceChangeResponse{Diagnostics: errorDiagnostics("resource "+req.TypeName, fmt.Errorf("no schema or no state"))}, nil
	}
	typ := sch.ValueType()
	prior, err := req.PriorState.Unmarshal(typ)
	if err != nil {
		return &tfprotov5.PlanResourceChangeResponse{Diagnostics: errorDiagnostics("resource "+req.TypeName+" prior state", err)}, nil
	}
	proposed, err := req.ProposedNewState.Unmarshal(typ)
	if err != nil {
		return &tfprotov5.PlanResourceChangeResponse{Diagnostics: errorDiagnostics("resource "+req.TypeName+" proposed state", err)}, nil
	}
	if !prior.IsNull() || proposed.IsNull() {
		return &tfprotov5.PlanResourceChangeResponse{PlannedState: req.ProposedNewState, PlannedPrivate: req.PriorPrivate}, nil
	}
	// On create, a computed attribute is null in the proposed state exactly
	// when the configuration leaves it null.
	planned, err := mapAttributes(sch.Block, tftypes.NewAttributePath(), proposed, func(_ *tftypes.AttributePath, a *tfprotov5.SchemaAttribute, v tftypes.Value) (tftypes.Value, error) {
		if a.Computed && v.IsNull() {
			return tftypes.NewValue(v.Type(), tftypes.UnknownValue), nil
		}
		return v, nil
	})
	if err != nil {
		return &tfprotov5.PlanResourceChangeResponse{Diagnostics: errorDiagnostics("resource "+req.TypeName+" plan", err)}, nil
	}
	dv, err := tfprotov5.NewDynamicValue(typ, planned)
	if err != nil {
		return &tfprotov5.PlanResourceChangeResponse{Diagnostics: errorDiagnostics("resource "+req.TypeName+" plan", err)}, nil
	}
	return &tfprotov5.PlanResourceChangeResponse{PlannedState: &dv}, nil
}

// ApplyResourceChange refuses: nothing here can create anything in AWS.
func (s *server) ApplyResourceChange(_ context.Context, req *tfprotov5.ApplyResourceChangeRequest) (*tfprotov5.ApplyResourceChangeResponse, error) {
	return &tfprotov5.ApplyResourceChangeResponse{Diagnostics: errorDiagnostics("resource "+req.TypeName, fmt.Errorf("this stand-in provider only plans"))}, nil
}

// ImportResourceState refuses, as ApplyResourceChange does.
func (s *server) ImportResourceState(_ context.Context, req *tfprotov5.ImportResourceStateRequest) (*tfprotov5.ImportResourceStateResponse, error) {
	return &tfprotov5.ImportResourceStateResponse{Diagnostics: errorDiagnostics("resource "+req.TypeName, fmt.Errorf("this stand-in provider only plans"))}, nil
}

// ReadDataSource returns the configuration with every computed attribute
// that it leaves null filled in: the fixed values above for the data
// sources that say where the provider runs, and placeholders otherwise
// (see placeholder; strings are "stand-in-<attribute>-<tag>", where the tag
// is a digest of the configuration, so that two data sources with
// different arguments give different strings). Terraform calls it only
// when the configuration is wholly known, and needs a wholly known result.
func (s *server) ReadDataSource(_ context.Context, req *tfprotov5.ReadDataSourceRequest) (*tfprotov5.ReadDataSourceResponse, error) {
	sch := s.schema.DataSourceSchemas[req.TypeName]
	if sch == nil || req.Config == nil {
		return &tfprotov5.ReadDataSourceResponse{Diagnostics: errorDiagnostics("data source "+req.TypeName, fmt.Errorf("no schema or no configuration"))}, nil
	}
	typ := sch.ValueType()
	config, err := req.Config.Unmarshal(typ)
	if err != nil {
		return &tfprotov5.ReadDataSourceResponse{Diagnostics: errorDiagnostics("data source "+req.TypeName, err)}, nil
	}
	sum := sha256.Sum256(req.Config.MsgPack)
	tag := hex.EncodeToString(sum[:4])
	known := fixed[req.TypeName]
	if req.TypeName == "aws_region" {
		s.mu.Lock()
		known = map[string]string{"region": s.region, "name": s.region, "id": s.region, "endpoint": "ec2." + s.region + ".amazonaws.com"}
		s.mu.Unlock()
	}
	state, err := mapAttributes(sch.Block, tftypes.NewAttributePath(), config, func(p *tftypes.AttributePath, a *tfprotov5.SchemaAttribute, v tftypes.Value) (tftypes.Value, error) {
		if !v.IsNull() {
			return v, nil
		}
		// Only top-level attributes have fixed values.
		if s, ok := known[a.Name]; ok && len(p.Steps()) == 1 {
			return tftypes.NewValue(v.Type(), s), nil
		}
		if a.Computed {
			return placeholder(v.Type(), a.Name, tag), nil
		}
		return v, nil
	})
	if err != nil {
		return &tfprotov5.ReadDataSourceResponse{Diagnostics: errorDiagnostics("data source "+req.TypeName, err)}, nil
	}
	dv, err := tfprotov5.NewDynamicValue(typ, state)
	if err != nil {
		return &tfprotov5.ReadDataSourceResponse{Diagnostics: errorDiagnostics("data source "+req.TypeName, err)}, nil
	}
	return &tfprotov5.ReadDataSourceResponse{State: &dv}, nil
}

func (s *server) StopProvider(context.Context, *tfprotov5.StopProviderRequest) (*tfprotov5.StopProviderResponse, error) {
	return &tfprotov5.StopProviderResponse{}, nil
}

// errorDiagnostics reports err, about what, as the only diagnostic.
func errorDiagnostics(what string, err error) []*tfprotov5.Diagnostic {
	return []*tfprotov5.Diagnostic{{
		Severity: tfprotov5.DiagnosticSeverityError,
		Summary:  "schemaprovider: " + what,
		Detail:   err.Error(),
	}}
}
