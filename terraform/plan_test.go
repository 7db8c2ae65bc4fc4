package terraform

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// planDirEnv names the directory that holds the plans TestPlan reads:
// `terraform show -json` of examples/zip, examples/image and
// testdata/plan/options, as zip.json, image.json and options.json.
// scripts/ci/terraform.sh writes them and runs TestPlan.
const planDirEnv = "JOBMATCH_TF_PLAN_DIR"

// planCase is what one plan must hold. The values come from the module's
// inputs (the example's, or their defaults); a plan made with the stand-in
// provider knows every value that the configuration decides, and none that
// only AWS could (ARNs, IDs, versions).
type planCase struct {
	file         string
	name         string // of the service: function, role, log group, API
	region       string // of the provider configuration
	architecture string
	zip          bool   // package_type Zip, else Image
	imageURI     string // "" when only AWS knows it (the repository is created)
	ecrARN       string // of an existing repository, "" when the module creates one
	memory       float64
	timeout      float64 // of the function, in seconds
	environment  map[string]any
	reserved     float64
	provisioned  float64
	routes       []string
	cors         []any
	functionURL  string // authorization type, "" for none
}

// planCases are the plans that scripts/ci/terraform.sh makes.
var planCases = []planCase{
	{
		file: "zip.json", name: "jobmatch", region: "eu-west-1", architecture: "arm64", zip: true,
		memory: 512, timeout: 15, environment: map[string]any{"JOBMATCH_MODEL_DIR": "/var/task/model"},
		reserved: -1, routes: []string{"GET /", "GET /health", "POST /keywords", "POST /match", "POST /rank", "POST /text"},
	},
	{
		file: "image.json", name: "jobmatch", region: "eu-west-1", architecture: "arm64",
		memory: 512, timeout: 15, reserved: -1, routes: []string{"GET /", "GET /health", "POST /keywords", "POST /match", "POST /rank", "POST /text"},
	},
	{
		file: "options.json", name: "jobmatch-options", region: "eu-central-1", architecture: "x86_64",
		imageURI: "123456789012.dkr.ecr.eu-central-1.amazonaws.com/jobmatch:0123abc",
		ecrARN:   "arn:aws:ecr:eu-central-1:123456789012:repository/jobmatch",
		memory:   1024, timeout: 30, environment: map[string]any{"LOG_LEVEL": "debug"},
		reserved: 10, provisioned: 2, routes: []string{"GET /health", "POST /match"},
		cors: []any{"https://example.com"}, functionURL: "NONE",
	},
}

// planDir returns the directory named by planDirEnv, and skips t when the
// variable is unset: scripts/ci/terraform.sh, which CI runs, plans the
// examples and runs TestPlan on the plans itself, failing the build if it
// fails.
func planDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv(planDirEnv)
	if dir == "" {
		t.Skip(planDirEnv + " is not set: JOBMATCH_TF_TOOLS=terraform scripts/ci/terraform.sh plans the examples with Terraform and runs this test on the plans")
	}
	return dir
}

// TestPlan checks the plans of the examples and of testdata/plan/options.
func TestPlan(t *testing.T) {
	dir := planDir(t)
	for _, tc := range planCases {
		t.Run(strings.TrimSuffix(tc.file, ".json"), func(t *testing.T) {
			checkPlan(t, readPlan(t, filepath.Join(dir, tc.file)), tc)
		})
	}
}

// TestPlanCatchesDefects alters the plans as a defective module would
// change them, and checks that checkPlan reports each defect: a check that
// cannot fail proves nothing. Made in a copy of the module and planned,
// such defects fail TestPlan the same way.
func TestPlanCatchesDefects(t *testing.T) {
	dir := planDir(t)
	const lambda, api = "module.jobmatch.module.lambda.", "module.jobmatch.module.api_gateway[0]."
	tests := []struct {
		file  string
		alter func(p *plan)
		want  string
	}{
		{"zip.json", func(p *plan) { p.set(api+"aws_apigatewayv2_integration.lambda", "1.0", "payload_format_version") },
			`payload_format_version = "1.0", want "2.0"`},
		{"zip.json", func(p *plan) { p.set(api+"aws_apigatewayv2_integration.lambda", 31000.0, "timeout_milliseconds") },
			"timeout_milliseconds = 31000, want 16000"},
		{"zip.json", func(p *plan) { p.set(lambda+"aws_lambda_function.this", []any{"x86_64"}, "architectures") },
			`architectures = []interface {}{"x86_64"}, want []interface {}{"arm64"}`},
		{"zip.json", func(p *plan) { p.set(lambda+"aws_lambda_function.this", "provided.al2", "runtime") },
			`runtime = "provided.al2", want "provided.al2023"`},
		{"image.json", func(p *plan) { p.set(lambda+"aws_lambda_function.this", "Zip", "package_type") },
			`package_type = "Zip", want "Image"`},
		{"zip.json", func(p *plan) {
			p.set(lambda+"data.aws_iam_policy_document.this", []any{"logs:*"}, "statement", 0, "actions")
		}, `wildcard action "logs:*"`},
		{"zip.json", func(p *plan) {
			p.set(lambda+"data.aws_iam_policy_document.assume_role", "sts:AssumeRole*", "statement", 0, "actions", 0)
		}, `wildcard action "sts:AssumeRole*"`},
		{"zip.json", func(p *plan) {
			p.set(lambda+"data.aws_iam_policy_document.assume_role", []any{"lambda.amazonaws.com", "ec2.amazonaws.com"}, "statement", 0, "principals", 0, "identifiers")
		}, `data.aws_iam_policy_document.assume_role: statement[0].principals =`},
		{"image.json", func(p *plan) {
			p.set(lambda+"data.aws_iam_policy_document.this", "ReadAnyImage", "statement", 1, "sid")
		}, `unexpected statement "ReadAnyImage"`},
		{"options.json", func(p *plan) {
			p.set(lambda+"data.aws_iam_policy_document.this", []any{"*"}, "statement", 1, "resources")
		}, `statement[1].resources = []interface {}{"*"}, want []interface {}{"arn:aws:ecr:eu-central-1:123456789012:repository/jobmatch"}`},
		{"options.json", func(p *plan) {
			p.set(lambda+"aws_lambda_provisioned_concurrency_config.this[0]", "$LATEST", "qualifier")
		}, `qualifier = "$LATEST", want "live"`},
		{"image.json", func(p *plan) {
			p.set("module.jobmatch.module.ecr[0].data.aws_iam_policy_document.lambda_pull[0]", []any{}, "statement", 0, "condition")
		}, `statement[0].condition = []interface {}{}, want`},
		{"zip.json", func(p *plan) { p.ResourceChanges = p.ResourceChanges[1:] }, "plan creates"},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.want, func(t *testing.T) {
			var tc planCase
			for _, c := range planCases {
				if c.file == tt.file {
					tc = c
				}
			}
			p := readPlan(t, filepath.Join(dir, tt.file))
			tt.alter(p)
			wantReported(t, tt.want, func(rec testing.TB) { checkPlan(rec, p, tc) })
		})
	}
}

// wantReported runs check with a recorder and fails t unless check
// reported an error containing want.
func wantReported(t *testing.T, want string, check func(testing.TB)) {
	t.Helper()
	rec := &recorder{TB: t}
	done := make(chan struct{})
	go func() { // check may call Fatalf, which ends the goroutine
		defer close(done)
		check(rec)
	}()
	<-done
	for _, msg := range rec.errors {
		if strings.Contains(msg, want) {
			return
		}
	}
	t.Errorf("no error containing %q; got:\n%s", want, strings.Join(rec.errors, "\n"))
}

// recorder is a testing.TB that keeps the errors reported to it instead of
// failing the test.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

// checkPlan reports every way in which plan p differs from tc.
func checkPlan(t testing.TB, p *plan, tc planCase) {
	const lambda, api, ecr = "module.jobmatch.module.lambda.", "module.jobmatch.module.api_gateway[0].", "module.jobmatch.module.ecr[0]."

	// What gets created, and nothing else.
	want := []string{
		lambda + "aws_cloudwatch_log_group.this", lambda + "aws_iam_role.this", lambda + "aws_iam_role_policy.this",
		lambda + "aws_lambda_function.this", lambda + "aws_lambda_alias.this",
		api + "aws_apigatewayv2_api.this", api + "aws_apigatewayv2_integration.lambda", api + "aws_apigatewayv2_stage.default",
		api + "aws_cloudwatch_log_group.access", api + "aws_lambda_permission.api",
	}
	for _, r := range tc.routes {
		want = append(want, fmt.Sprintf("%saws_apigatewayv2_route.this[%q]", api, r))
	}
	if tc.zip {
		want = append(want, "aws_s3_object.zip")
	}
	if !tc.zip && tc.ecrARN == "" {
		want = append(want, ecr+"aws_ecr_repository.this", ecr+"aws_ecr_lifecycle_policy.this", ecr+"aws_ecr_repository_policy.lambda_pull[0]")
	}
	if tc.provisioned > 0 {
		want = append(want, lambda+"aws_lambda_provisioned_concurrency_config.this[0]")
	}
	if tc.functionURL != "" {
		want = append(want, lambda+"aws_lambda_function_url.this[0]")
	}
	if tc.functionURL == "NONE" {
		want = append(want, lambda+"aws_lambda_permission.function_url[0]")
	}
	slices.Sort(want)
	if got := p.created(); !slices.Equal(got, want) {
		t.Errorf("plan creates\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}

	// The function.
	fn := p.object(t, lambda+"aws_lambda_function.this")
	fn.equal(t, []any{tc.architecture}, "architectures")
	fn.equal(t, tc.memory, "memory_size")
	fn.equal(t, tc.timeout, "timeout")
	fn.equal(t, tc.reserved, "reserved_concurrent_executions")
	fn.equal(t, true, "publish")
	fn.equal(t, "/aws/lambda/"+tc.name, "logging_config", 0, "log_group")
	if tc.environment == nil {
		fn.equal(t, []any{}, "environment")
	} else {
		fn.equal(t, tc.environment, "environment", 0, "variables")
	}
	if tc.zip {
		fn.equal(t, "Zip", "package_type")
		fn.equal(t, "provided.al2023", "runtime")
		fn.equal(t, "bootstrap", "handler")
		fn.equal(t, nil, "image_uri")
		p.object(t, "aws_s3_object.zip").sameAs(t, "bucket", fn, "s3_bucket")
		p.object(t, "aws_s3_object.zip").sameAs(t, "key", fn, "s3_key")
		fn.known(t, "source_code_hash")
	} else {
		fn.equal(t, "Image", "package_type")
		fn.equal(t, nil, "runtime")
		fn.equal(t, nil, "handler")
		fn.equal(t, nil, "s3_bucket")
		if tc.imageURI != "" {
			fn.equal(t, tc.imageURI, "image_uri")
		} else {
			fn.unknown(t, "image_uri") // the created repository's URL
		}
	}
	p.object(t, lambda+"aws_cloudwatch_log_group.this").equal(t, "/aws/lambda/"+tc.name, "name")

	// The alias follows the version that each change publishes.
	alias := p.object(t, lambda+"aws_lambda_alias.this")
	alias.equal(t, "live", "name")
	alias.equal(t, tc.name, "function_name")
	alias.unknown(t, "function_version")
	if tc.provisioned > 0 {
		pc := p.object(t, lambda+"aws_lambda_provisioned_concurrency_config.this[0]")
		pc.equal(t, tc.provisioned, "provisioned_concurrent_executions")
		pc.equal(t, tc.name, "function_name")
		pc.equal(t, "live", "qualifier")
	}
	if tc.functionURL != "" {
		url := p.object(t, lambda+"aws_lambda_function_url.this[0]")
		url.equal(t, tc.functionURL, "authorization_type")
		url.equal(t, "live", "qualifier")
	}
	if tc.functionURL == "NONE" {
		perm := p.object(t, lambda+"aws_lambda_permission.function_url[0]")
		perm.equal(t, "lambda:InvokeFunctionUrl", "action")
		perm.equal(t, "*", "principal")
		perm.equal(t, "NONE", "function_url_auth_type")
		perm.equal(t, "live", "qualifier")
	}

	// The HTTP API: a Lambda proxy with payload format 2.0 to the alias,
	// waiting no longer than the function runs, and at most 30 s.
	integ := p.object(t, api+"aws_apigatewayv2_integration.lambda")
	integ.equal(t, "AWS_PROXY", "integration_type")
	integ.equal(t, "POST", "integration_method")
	integ.equal(t, "2.0", "payload_format_version")
	integ.equal(t, min(30000, tc.timeout*1000+1000), "timeout_milliseconds")
	integ.unknown(t, "integration_uri")
	p.references(t, []string{"jobmatch"}, "module.api_gateway", "module.lambda.alias_invoke_arn", "lambda_invoke_arn")
	p.references(t, []string{"jobmatch", "api_gateway"}, "aws_apigatewayv2_integration.lambda", "var.lambda_invoke_arn", "integration_uri")
	for _, r := range tc.routes {
		route := p.object(t, fmt.Sprintf("%saws_apigatewayv2_route.this[%q]", api, r))
		route.equal(t, r, "route_key")
		route.unknown(t, "target")
	}
	stage := p.object(t, api+"aws_apigatewayv2_stage.default")
	stage.equal(t, "$default", "name")
	stage.equal(t, true, "auto_deploy")
	stage.equal(t, 50.0, "default_route_settings", 0, "throttling_burst_limit")
	stage.equal(t, 20.0, "default_route_settings", 0, "throttling_rate_limit")
	apiObj := p.object(t, api+"aws_apigatewayv2_api.this")
	apiObj.equal(t, "HTTP", "protocol_type")
	if tc.cors == nil {
		apiObj.equal(t, []any{}, "cors_configuration")
	} else {
		apiObj.equal(t, tc.cors, "cors_configuration", 0, "allow_origins")
	}
	perm := p.object(t, api+"aws_lambda_permission.api")
	perm.equal(t, "lambda:InvokeFunction", "action")
	perm.equal(t, "apigateway.amazonaws.com", "principal")
	perm.equal(t, tc.name, "function_name")
	perm.equal(t, "live", "qualifier")
	perm.unknown(t, "source_arn")
	p.references(t, []string{"jobmatch", "api_gateway"}, "aws_lambda_permission.api", "aws_apigatewayv2_api.this.execution_arn", "source_arn")

	// The execution role: assumed by Lambda only, allowed to write its own
	// logs and, for an image, to pull it, and nothing else.
	trust := p.object(t, lambda+"data.aws_iam_policy_document.assume_role")
	checkStatements(t, trust, map[string]plannedStatement{
		"LambdaAssumesRole": {actions: []any{"sts:AssumeRole"}, principals: []any{
			map[string]any{"type": "Service", "identifiers": []any{"lambda.amazonaws.com"}},
		}},
	})
	p.object(t, lambda+"aws_iam_role.this").sameAs(t, "assume_role_policy", trust, "json")

	perms := p.object(t, lambda+"data.aws_iam_policy_document.this")
	wantPerms := map[string]plannedStatement{
		"WriteOwnLogs": {actions: []any{"logs:CreateLogStream", "logs:PutLogEvents"}, resources: []any{unknownValue}},
	}
	if !tc.zip {
		repo := any(unknownValue) // the created repository's ARN
		if tc.ecrARN != "" {
			repo = tc.ecrARN
		}
		wantPerms["PullOwnImage"] = plannedStatement{actions: []any{"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}, resources: []any{repo}}
		wantPerms["GetRegistryToken"] = plannedStatement{actions: []any{"ecr:GetAuthorizationToken"}, resources: []any{"*"}}
	}
	checkStatements(t, perms, wantPerms)
	// The log streams' ARN is AWS's to say; the configuration says whose.
	p.references(t, []string{"jobmatch", "lambda"}, "data.aws_iam_policy_document.this", "aws_cloudwatch_log_group.this.arn", "statement", 0, "resources")
	p.references(t, []string{"jobmatch", "lambda"}, "aws_iam_role_policy.this", "data.aws_iam_policy_document.this.json", "policy")
	p.references(t, []string{"jobmatch", "lambda"}, "aws_iam_role_policy.this", "aws_iam_role.this.id", "role")

	// The repository, when the module creates it.
	if !tc.zip && tc.ecrARN == "" {
		repo := p.object(t, ecr+"aws_ecr_repository.this")
		repo.equal(t, tc.name, "name")
		repo.equal(t, "IMMUTABLE", "image_tag_mutability")
		repo.equal(t, true, "image_scanning_configuration", 0, "scan_on_push")
		pull := p.object(t, ecr+"data.aws_iam_policy_document.lambda_pull[0]")
		fnARN := fmt.Sprintf("arn:aws:lambda:%s:123456789012:function:%s", tc.region, tc.name)
		checkStatements(t, pull, map[string]plannedStatement{
			"LambdaPullsImage": {
				actions:    []any{"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"},
				principals: []any{map[string]any{"type": "Service", "identifiers": []any{"lambda.amazonaws.com"}}},
				conditions: []any{map[string]any{"test": "ArnLike", "variable": "aws:SourceArn", "values": []any{fnARN, fnARN + ":*"}}},
			},
		})
		p.object(t, ecr+"aws_ecr_repository_policy.lambda_pull[0]").sameAs(t, "policy", pull, "json")
	}
}

// plannedStatement is what TestPlan expects of one statement of an
// aws_iam_policy_document: Allow, and the lists as given (nil for none).
type plannedStatement struct {
	actions, resources, principals, conditions []any
}

// checkStatements checks that doc has exactly the statements want, by sid,
// and that no action is a wildcard.
func checkStatements(t testing.TB, doc *object, want map[string]plannedStatement) {
	t.Helper()
	list, _ := doc.value("statement")
	stmts, _ := list.([]any)
	got := map[string]bool{}
	for i := range stmts {
		sid, _ := doc.value("statement", i, "sid")
		s, _ := sid.(string)
		got[s] = true
		w, ok := want[s]
		if !ok {
			t.Errorf("%s: unexpected statement %q", doc.address, s)
			continue
		}
		doc.equal(t, "Allow", "statement", i, "effect")
		doc.equal(t, w.actions, "statement", i, "actions")
		doc.equal(t, nilIfNone(w.resources), "statement", i, "resources")
		doc.equal(t, orEmpty(w.principals), "statement", i, "principals")
		doc.equal(t, orEmpty(w.conditions), "statement", i, "condition")
		doc.equal(t, []any{}, "statement", i, "not_principals")
		doc.equal(t, nil, "statement", i, "not_actions")
		doc.equal(t, nil, "statement", i, "not_resources")
		actions, _ := doc.value("statement", i, "actions")
		for _, a := range toSlice(actions) {
			if s, _ := a.(string); strings.Contains(s, "*") {
				t.Errorf("%s: statement %q: wildcard action %q", doc.address, sid, s)
			}
		}
	}
	for sid := range want {
		if !got[sid] {
			t.Errorf("%s: no statement %q", doc.address, sid)
		}
	}
}

// nilIfNone returns s, or an untyped nil (a JSON null) for no list.
func nilIfNone(s []any) any {
	if s == nil {
		return nil
	}
	return s
}

func orEmpty(s []any) []any {
	if s == nil {
		return []any{}
	}
	return s
}

func toSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

// unknownValue stands, in expected lists, for an element that the plan
// does not know.
var unknownValue unknownType

type unknownType struct{}

func (unknownType) GoString() string { return "(unknown)" }

// plan is the part of `terraform show -json` that TestPlan reads.
type plan struct {
	ResourceChanges []struct {
		Address string `json:"address"`
		Mode    string `json:"mode"`
		Change  struct {
			Actions      []string `json:"actions"`
			After        any      `json:"after"`
			AfterUnknown any      `json:"after_unknown"`
		} `json:"change"`
	} `json:"resource_changes"`
	PriorState struct {
		Values struct {
			RootModule stateModule `json:"root_module"`
		} `json:"values"`
	} `json:"prior_state"`
	Configuration struct {
		RootModule configModule `json:"root_module"`
	} `json:"configuration"`
}

type stateModule struct {
	Resources []struct {
		Address string `json:"address"`
		Values  any    `json:"values"`
	} `json:"resources"`
	ChildModules []stateModule `json:"child_modules"`
}

type configModule struct {
	Resources []struct {
		Address     string         `json:"address"`
		Expressions map[string]any `json:"expressions"`
	} `json:"resources"`
	ModuleCalls map[string]struct {
		Expressions map[string]any `json:"expressions"`
		Module      configModule   `json:"module"`
	} `json:"module_calls"`
}

func readPlan(t *testing.T, path string) *plan {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var p plan
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &p
}

// set sets the value at path (whose last step must exist) of the resource
// or data source at address, wherever p holds it.
func (p *plan) set(address string, v any, path ...any) {
	for i := range p.ResourceChanges {
		if p.ResourceChanges[i].Address == address {
			setPath(p.ResourceChanges[i].Change.After, v, path)
		}
	}
	var walk func(m stateModule)
	walk = func(m stateModule) {
		for _, r := range m.Resources {
			if r.Address == address {
				setPath(r.Values, v, path)
			}
		}
		for _, c := range m.ChildModules {
			walk(c)
		}
	}
	walk(p.PriorState.Values.RootModule)
}

func setPath(obj, v any, path []any) {
	for _, step := range path[:len(path)-1] {
		obj = index(obj, step)
	}
	switch s := path[len(path)-1].(type) {
	case string:
		if m, ok := obj.(map[string]any); ok {
			m[s] = v
		}
	case int:
		if l, ok := obj.([]any); ok && s < len(l) {
			l[s] = v
		}
	}
}

// created returns the sorted addresses of the resources that p creates.
func (p *plan) created() []string {
	var addrs []string
	for _, rc := range p.ResourceChanges {
		if rc.Mode == "managed" && slices.Equal(rc.Change.Actions, []string{"create"}) {
			addrs = append(addrs, rc.Address)
		}
	}
	slices.Sort(addrs)
	return addrs
}

// object returns the planned values of the resource or data source at
// address: a data source whose configuration was known was read during
// the plan and is in the prior state; any other is in resource_changes.
func (p *plan) object(t testing.TB, address string) *object {
	t.Helper()
	for _, rc := range p.ResourceChanges {
		if rc.Address == address {
			return &object{address: address, after: rc.Change.After, afterUnknown: rc.Change.AfterUnknown}
		}
	}
	var find func(m stateModule) *object
	find = func(m stateModule) *object {
		for _, r := range m.Resources {
			if r.Address == address {
				return &object{address: address, after: r.Values}
			}
		}
		for _, c := range m.ChildModules {
			if o := find(c); o != nil {
				return o
			}
		}
		return nil
	}
	if o := find(p.PriorState.Values.RootModule); o != nil {
		return o
	}
	t.Fatalf("plan has no %s", address)
	return nil
}

// references checks that the expression at path in the configuration of
// address (a resource, or "module.<name>" for a module call), in the module
// reached through the module calls in modules, refers to ref.
func (p *plan) references(t testing.TB, modules []string, address, ref string, path ...any) {
	t.Helper()
	m := p.Configuration.RootModule
	for i, name := range modules {
		call, ok := m.ModuleCalls[name]
		if !ok {
			t.Errorf("configuration has no module call %s", strings.Join(modules[:i+1], "."))
			return
		}
		m = call.Module
	}
	var expr any
	if name, ok := strings.CutPrefix(address, "module."); ok {
		expr = m.ModuleCalls[name].Expressions
	}
	for _, r := range m.Resources {
		if r.Address == address {
			expr = r.Expressions
		}
	}
	for _, step := range path {
		expr = index(expr, step)
	}
	e, _ := expr.(map[string]any)
	refs, _ := e["references"].([]any)
	if !slices.Contains(refs, any(ref)) {
		t.Errorf("configuration of %s in module %s: %v refers to %v, want %s", address, strings.Join(modules, "."), path, refs, ref)
	}
}

// object holds the planned values of one resource or data source, and
// which of them are unknown.
type object struct {
	address      string
	after        any // as decoded from JSON, unknown values null
	afterUnknown any // after_unknown: true where after is unknown
}

// value returns the value at path (attribute names and list indexes) and
// whether the plan knows it.
func (o *object) value(path ...any) (any, bool) {
	v, u := o.after, o.afterUnknown
	for _, step := range path {
		if u == true {
			return nil, false
		}
		v, u = index(v, step), index(u, step)
	}
	return v, u != true
}

// equal checks that the value at path is known and deeply equal to want,
// in which unknownValue stands for an unknown element.
func (o *object) equal(t testing.TB, want any, path ...any) {
	t.Helper()
	got, known := o.value(path...)
	if !known {
		t.Errorf("%s: %s is unknown, want %#v", o.address, pathString(path), want)
		return
	}
	if list, ok := want.([]any); ok && slices.Contains(list, any(unknownValue)) {
		got = o.withUnknowns(path, toSlice(got))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: %s = %#v, want %#v", o.address, pathString(path), got, want)
	}
}

// withUnknowns returns list, the list at path, with unknown in place of
// its unknown elements.
func (o *object) withUnknowns(path []any, list []any) []any {
	out := make([]any, len(list))
	for i := range list {
		if v, known := o.value(append(slices.Clone(path), i)...); known {
			out[i] = v
		} else {
			out[i] = unknownValue
		}
	}
	return out
}

// known checks that the value at path is known and not null.
func (o *object) known(t testing.TB, path ...any) {
	t.Helper()
	if v, known := o.value(path...); !known || v == nil {
		t.Errorf("%s: %s is unknown or null, want a value", o.address, pathString(path))
	}
}

// unknown checks that the value at path is unknown: only AWS can say what
// it is (an ARN, an ID), so a known value would be made up.
func (o *object) unknown(t testing.TB, path ...any) {
	t.Helper()
	if v, known := o.value(path...); known {
		t.Errorf("%s: %s = %#v, want a value only AWS knows (unknown in the plan)", o.address, pathString(path), v)
	}
}

// sameAs checks that attribute attr of o is known and equal to attribute
// otherAttr of other.
func (o *object) sameAs(t testing.TB, attr string, other *object, otherAttr string) {
	t.Helper()
	want, known := other.value(otherAttr)
	if !known || want == nil {
		t.Errorf("%s: %s is unknown or null", other.address, otherAttr)
		return
	}
	o.equal(t, want, attr)
}

func index(v, step any) any {
	switch s := step.(type) {
	case string:
		m, _ := v.(map[string]any)
		return m[s]
	case int:
		l, _ := v.([]any)
		if s < len(l) {
			return l[s]
		}
	}
	return nil
}

func pathString(path []any) string {
	var b strings.Builder
	for _, step := range path {
		if i, ok := step.(int); ok {
			fmt.Fprintf(&b, "[%d]", i)
		} else {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			fmt.Fprint(&b, step)
		}
	}
	return b.String()
}
