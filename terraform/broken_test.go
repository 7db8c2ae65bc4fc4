package terraform

import (
	"strings"
	"testing"
)

// TestChecksCatchBrokenModules runs the checks on small broken modules in
// testdata/broken and asserts that each defect is reported: a check that
// cannot fail proves nothing about the real modules.
func TestChecksCatchBrokenModules(t *testing.T) {
	tests := []struct {
		dir   string
		check func(*module) problems
		want  string
	}{
		{"docs", checkModule, `variable "untyped" has no type`},
		{"docs", checkModule, `variable "undocumented" has no description`},
		{"docs", checkModule, `variable "quoted_type" has an invalid type: testdata/broken/docs/main.tf:11,17-22: Invalid type specification`},
		{"docs", checkModule, `output "undocumented" has no description`},

		{"unused", checkModule, `variable "forgotten" is declared but not used`},
		{"unused", checkModule, `local value "spare" is declared but not used`},
		{"unused", checkModule, `data source aws_region.current is declared but not used`},

		{"versions", checkModule, `required_version ">= 1.6.0" does not allow Terraform 1.5.7`},
		{"versions", checkModule, `required_providers.aws.version ">= 5.0" must allow 6.25.0 and exclude 5.x and 7.x`},

		{"payload", checkModule, `integration default_format has no payload_format_version`},
		{"payload", checkModule, `integration old_format: payload_format_version must be the literal "2.0"`},

		{"architecture", checkArchitecture, `variable "architecture" does not default to cty.StringVal("arm64")`},
		{"architecture", checkArchitecture, `validation accepts cty.StringVal("amd64") = true, want false`},

		{"timeout", func(m *module) problems { return checkTimeout(m, "timeout") }, `validation accepts cty.NumberIntVal(31) = true, want false`},
		{"timeout", func(m *module) problems { return checkTimeout(m, "timeout") }, `validation accepts cty.NumberIntVal(120) = true, want false`},

		{"iam", checkModule, `trust policy trust: the only principal must be Service lambda.amazonaws.com`},
		{"iam", checkModule, `policy permissions: wildcard action "logs:*"`},
		{"iam", checkModule, `policy permissions: action "s3:GetObject" is not needed by the function`},
		{"iam", checkModule, `policy permissions: wildcard resource "*"`},
		{"iam", checkModule, `policy permissions: wildcard resource "arn:aws:s3:::bucket/model/*"`},
		{"iam", checkModule, `policy permissions: ECR pull must be on var.ecr_repository_arn`},
		{"iam", checkModule, `policy permissions: ECR actions must sit in a dynamic statement`},
		{"iam", checkModule, `policy permissions: not_actions grants everything else`},
		{"iam", checkModule, `repository policy repository: action "ecr:PutImage" is more than pulling an image`},
		{"iam", checkModule, `repository policy repository: no ArnLike aws:SourceArn condition`},
		{"iam", checkModule, `aws_iam_role_policy_attachment.basic: only aws_iam_role and aws_iam_role_policy`},

		{"alias", checkModule, `provisioned concurrency latest: qualifier must be aws_lambda_alias.<name>.name`},
		{"alias", checkModule, `function this has an alias but not publish = true`},

		{"permission", checkModule, `permission any_api: source_arn must start with aws_apigatewayv2_api.<name>.execution_arn`},
		{"permission", checkModule, `permission any_api: no qualifier`},

		{"calls", checkModule, `module missing_name: missing required argument "name"`},
		{"calls", checkModule, `module typo: unsupported argument "timeuot"`},
		{"calls", checkModule, `module wrong_type: argument "timeout" needs number`},
		{"calls", checkModule, `module typo (testdata/broken/calls/sub) has no output "nope"`},

		{"schema", checkModule, `resource aws_apigatewayv2_integration.typo: unsupported argument "payload_format"`},
		{"schema", checkModule, `resource aws_lambda_alias.no_version: missing required argument "function_version"`},
		{"schema", checkModule, `resource aws_lambda_function.types: "architectures" needs list of string`},
		{"schema", checkModule, `resource aws_lambda_function.types: "memory_size" needs number`},
		{"schema", checkModule, `resource aws_lambda_function.types: at most 1 "logging_config" block(s) allowed`},
		{"schema", checkModule, `resource aws_lambda_function.var_type: "architectures" needs list of string`},
		{"schema", checkModule, `resource aws_apigatewayv2_stage.blocks: unsupported block "throttle"`},
		{"schema", checkModule, `resource type "aws_lambda_functions" does not exist in hashicorp/aws 6.25.0`},
		{"schema", checkModule, `resource aws_lambda_alias.computed: "invoke_arn" is computed by the provider and cannot be set`},

		{"schema", checkModule, `provider aws: unsupported argument "regoin"`},

		{"refs", checkModule, `this has no attribute "invoke_url" in hashicorp/aws 6.25.0`},
		{"refs", checkModule, `reference to undeclared variable var.nowhere`},
		{"refs", checkModule, `counted has count or for_each: index it or use [*] before .function_url`},
		{"refs", checkModule, `reference to undeclared resource aws_lambda_alias.live.arn`},
	}
	for _, tt := range tests {
		t.Run(tt.dir+"/"+tt.want, func(t *testing.T) {
			p := tt.check(load(t, "testdata/broken/"+tt.dir))
			for _, line := range p {
				if strings.Contains(line, tt.want) {
					return
				}
			}
			t.Errorf("no problem reported containing %q; got:\n%s", tt.want, strings.Join(p, "\n"))
		})
	}
}

// TestAllows checks the version constraint reader that checkVersions uses.
func TestAllows(t *testing.T) {
	tests := []struct {
		c, v string
		want bool
	}{
		{">= 1.5.7", "1.5.7", true},
		{">= 1.5.7", "1.5.6", false},
		{">= 6.25.0, < 7.0.0", "6.25.0", true},
		{">= 6.25.0, < 7.0.0", "7.0.0", false},
		{">= 6.25.0, < 7.0.0", "6.24.9", false},
		{"~> 6.0", "6.99.0", true},
		{"~> 6.0", "7.0.0", false},
		{"~> 6.25.0", "6.26.0", false},
		{"~> 6.25.0", "6.25.3", true},
		{"= 6.25.0", "6.25.0", true},
		{"6.25.0", "6.25.1", false},
		{"", "6.25.0", false},
		{">= banana", "6.25.0", false},
	}
	for _, tt := range tests {
		if got := allows(tt.c, tt.v); got != tt.want {
			t.Errorf("allows(%q, %q) = %t, want %t", tt.c, tt.v, got, tt.want)
		}
	}
}
