package terraform

import (
	"encoding/json"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/zclconf/go-cty/cty"
)

// moduleDirs are every module of the deployment: the root, its submodules
// and the examples that call it.
var moduleDirs = []string{
	".",
	"modules/lambda",
	"modules/api_gateway",
	"modules/ecr",
	"modules/batch",
	"examples/zip",
	"examples/image",
	"examples/batch",
}

func load(t *testing.T, dir string) *module {
	t.Helper()
	m, err := loadModule(dir)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func report(t *testing.T, p problems) {
	t.Helper()
	for _, line := range p {
		t.Error(line)
	}
}

// TestModules runs every generic check on every module: documentation,
// version pins, arguments and references against the AWS provider's
// schema, module wiring, payload format, IAM and aliases.
func TestModules(t *testing.T) {
	for _, dir := range moduleDirs {
		t.Run(dir, func(t *testing.T) {
			report(t, checkModule(load(t, dir)))
		})
	}
}

// TestModulesDeclareWhatTheyUse makes sure the checks above had something
// to check: a check that finds no resource of its kind passes vacuously.
func TestModulesDeclareWhatTheyUse(t *testing.T) {
	want := map[string][]string{
		"modules/lambda": {
			"aws_lambda_function.this", "aws_lambda_alias.this", "aws_lambda_provisioned_concurrency_config.this",
			"aws_iam_role.this", "aws_iam_role_policy.this", "aws_cloudwatch_log_group.this",
			"data.aws_iam_policy_document.this", "data.aws_iam_policy_document.assume_role",
		},
		"modules/api_gateway": {
			"aws_apigatewayv2_api.this", "aws_apigatewayv2_integration.lambda", "aws_apigatewayv2_route.this",
			"aws_apigatewayv2_stage.default", "aws_lambda_permission.api",
		},
		"modules/ecr": {"aws_ecr_repository.this", "aws_ecr_lifecycle_policy.this"},
		"modules/batch": {
			"aws_sfn_state_machine.this", "aws_iam_role.this", "aws_iam_role_policy.this", "aws_iam_role_policy.function",
			"data.aws_iam_policy_document.assume_role", "data.aws_iam_policy_document.state_machine", "data.aws_iam_policy_document.function",
		},
	}
	for dir, keys := range want {
		m := load(t, dir)
		for _, k := range keys {
			if m.resources[k] == nil {
				t.Errorf("%s: no %s", dir, k)
			}
		}
	}
	root := load(t, ".")
	for _, call := range []string{"lambda", "api_gateway", "ecr"} {
		if root.calls[call] == nil {
			t.Errorf("root module does not call module %q", call)
		}
	}
}

// TestArchitecture checks that the function runs on arm64 unless told
// otherwise, and that only the two names Lambda knows get through.
func TestArchitecture(t *testing.T) {
	for _, dir := range []string{".", "modules/lambda"} {
		t.Run(dir, func(t *testing.T) {
			report(t, checkArchitecture(load(t, dir)))
		})
	}
	fn := load(t, "modules/lambda").resources["aws_lambda_function.this"]
	tuple, ok := attrExpr(fn.Body, "architectures").(*hclsyntax.TupleConsExpr)
	if !ok || len(tuple.Exprs) != 1 || path(traversal(tuple.Exprs[0])) != "var.architecture" {
		t.Errorf("aws_lambda_function.this: architectures must be [var.architecture]")
	}
	root := load(t, ".")
	if got := path(traversal(attrExpr(root.calls["lambda"].Body, "architecture"))); got != "var.architecture" {
		t.Errorf("root module passes architecture = %q to the lambda module, want var.architecture", got)
	}
}

// TestTimeout checks that no timeout above the HTTP API's 30 s gets
// through: the root module caps it, and so does the API module, which gets
// the function's timeout from the root.
func TestTimeout(t *testing.T) {
	report(t, checkTimeout(load(t, "."), "timeout"))
	report(t, checkTimeout(load(t, "modules/api_gateway"), "lambda_timeout"))
	root := load(t, ".")
	if got := path(traversal(attrExpr(root.calls["api_gateway"].Body, "lambda_timeout"))); got != "var.timeout" {
		t.Errorf("root module passes lambda_timeout = %q to the api_gateway module, want var.timeout", got)
	}
	if got := path(traversal(attrExpr(root.calls["lambda"].Body, "timeout"))); got != "var.timeout" {
		t.Errorf("root module passes timeout = %q to the lambda module, want var.timeout", got)
	}
}

// TestDefaults pins the defaults the service was sized for.
func TestDefaults(t *testing.T) {
	for _, dir := range []string{".", "modules/lambda"} {
		m := load(t, dir)
		report(t, checkDefault(m, "memory_size", cty.NumberIntVal(512)))
		report(t, checkDefault(m, "provisioned_concurrent_executions", cty.NumberIntVal(0)))
	}
	report(t, checkDefault(load(t, "modules/ecr"), "immutable_tags", cty.True))
	report(t, checkDefault(load(t, "modules/api_gateway"), "routes", cty.TupleVal([]cty.Value{
		cty.StringVal("GET /"), cty.StringVal("POST /match"), cty.StringVal("POST /rank"), cty.StringVal("POST /keywords"), cty.StringVal("POST /text"), cty.StringVal("GET /health"),
	})))
}

// TestECRScanAndLifecycle checks the repository scans every push and
// expires all but the last N images.
func TestECRScanAndLifecycle(t *testing.T) {
	m := load(t, "modules/ecr")
	repo := m.resources["aws_ecr_repository.this"]
	scanned := false
	for _, b := range repo.Body.Blocks {
		if b.Type == "image_scanning_configuration" {
			v, ok := literal(attrExpr(b.Body, "scan_on_push"))
			scanned = ok && v.RawEquals(cty.True)
		}
	}
	if !scanned {
		t.Error("aws_ecr_repository.this: image_scanning_configuration { scan_on_push = true } missing")
	}
	policy := attrExpr(m.resources["aws_ecr_lifecycle_policy.this"].Body, "policy")
	v, diags := policy.Value(&hcl.EvalContext{
		Variables: map[string]cty.Value{"var": cty.ObjectVal(map[string]cty.Value{"keep_last_images": cty.NumberIntVal(7)})},
		Functions: functions,
	})
	if diags.HasErrors() {
		t.Fatalf("aws_ecr_lifecycle_policy.this: %v", diags)
	}
	var doc struct {
		Rules []struct {
			Selection struct {
				TagStatus   string
				CountType   string
				CountNumber int
			}
			Action struct{ Type string }
		}
	}
	if err := json.Unmarshal([]byte(v.AsString()), &doc); err != nil {
		t.Fatalf("aws_ecr_lifecycle_policy.this: %v", err)
	}
	if len(doc.Rules) != 1 {
		t.Fatalf("lifecycle policy has %d rules, want 1", len(doc.Rules))
	}
	r := doc.Rules[0]
	if r.Selection.TagStatus != "any" || r.Selection.CountType != "imageCountMoreThan" || r.Selection.CountNumber != 7 || r.Action.Type != "expire" {
		t.Errorf("lifecycle rule with keep_last_images = 7 is %+v, want: expire any image beyond the last 7", r)
	}
}

// TestStage checks the $default stage deploys itself and throttles every
// route with the module's limits.
func TestStage(t *testing.T) {
	m := load(t, "modules/api_gateway")
	stage := m.resources["aws_apigatewayv2_stage.default"]
	if stage == nil {
		t.Fatal("no aws_apigatewayv2_stage.default")
	}
	if name, _ := literalString(attrExpr(stage.Body, "name")); name != "$default" {
		t.Errorf("stage name is %q, want $default", name)
	}
	if v, ok := literal(attrExpr(stage.Body, "auto_deploy")); !ok || !v.RawEquals(cty.True) {
		t.Error("stage: auto_deploy must be true")
	}
	var throttled bool
	for _, b := range stage.Body.Blocks {
		if b.Type == "default_route_settings" {
			throttled = path(traversal(attrExpr(b.Body, "throttling_burst_limit"))) == "var.throttling_burst_limit" &&
				path(traversal(attrExpr(b.Body, "throttling_rate_limit"))) == "var.throttling_rate_limit"
		}
	}
	if !throttled {
		t.Error("stage: default_route_settings must set throttling_burst_limit and throttling_rate_limit from the variables")
	}
}
