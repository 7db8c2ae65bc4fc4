package terraform

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"
)

// batchCase is what the plan of testdata/plan/batch must hold: its inputs.
type batchCase struct {
	name, functionARN, role, bucket, prefix, results, resultsPrefix string
	timeout, items, concurrency, tolerated                          float64
}

var batchPlan = batchCase{
	name: "jobmatch-rank", functionARN: "arn:aws:lambda:eu-west-1:123456789012:function:jobmatch:live", role: "jobmatch",
	bucket: "acme-resumes", prefix: "2026/12/", results: "acme-results", resultsPrefix: "results/",
	timeout: 30, items: 40, concurrency: 250, tolerated: 2,
}

// TestPlanBatch checks the plan of testdata/plan/batch: a Distributed Map
// over the resumes' prefix, batches of the set size handed to the function's
// alias with the job and where to write, bounded concurrency and tolerated
// failures, a JSON Lines summary, and roles that can do only that.
func TestPlanBatch(t *testing.T) {
	checkBatchPlan(t, readPlan(t, filepath.Join(planDir(t), "batch.json")), batchPlan)
}

// TestPlanBatchCatchesDefects alters the plan as a defective module would,
// and checks that checkBatchPlan reports each defect.
func TestPlanBatchCatchesDefects(t *testing.T) {
	dir := planDir(t)
	const sm, docs = "module.batch.aws_sfn_state_machine.this", "module.batch.data.aws_iam_policy_document."
	editDefinition := func(edit func(map[string]any)) func(*plan) {
		return func(p *plan) {
			var def map[string]any
			raw, _ := p.object(t, sm).value("definition")
			if err := json.Unmarshal([]byte(raw.(string)), &def); err != nil {
				t.Fatal(err)
			}
			edit(def["States"].(map[string]any)["Rank"].(map[string]any))
			b, _ := json.Marshal(def)
			p.set(sm, string(b), "definition")
		}
	}
	for _, tt := range []struct {
		name  string
		alter func(*plan)
		want  string
	}{
		{"inline map", editDefinition(func(m map[string]any) {
			m["ItemProcessor"].(map[string]any)["ProcessorConfig"].(map[string]any)["Mode"] = "INLINE"
		}), "Mode"},
		{"no batcher", editDefinition(func(m map[string]any) { delete(m, "ItemBatcher") }), "ItemBatcher"},
		{"unbounded", editDefinition(func(m map[string]any) { m["MaxConcurrency"] = 0.0 }), "MaxConcurrency"},
		{"no tolerance", editDefinition(func(m map[string]any) { delete(m, "ToleratedFailurePercentage") }), "ToleratedFailurePercentage"},
		{"unqualified function", editDefinition(func(m map[string]any) {
			m["ItemProcessor"].(map[string]any)["States"].(map[string]any)["Score"].(map[string]any)["Parameters"].(map[string]any)["FunctionName"] = "jobmatch"
		}), "FunctionName"},
		{"whole bucket", func(p *plan) { p.set(docs+"state_machine", []any{}, "statement", 1, "condition") }, "state_machine: statement[1].condition"},
		{"any principal", func(p *plan) {
			p.set(docs+"assume_role", []any{"states.amazonaws.com", "lambda.amazonaws.com"}, "statement", 0, "principals", 0, "identifiers")
		}, "principals"},
		{"read everything", func(p *plan) {
			p.set(docs+"function", []any{"arn:aws:s3:::acme-resumes/*"}, "statement", 0, "resources")
		}, "resources"},
		{"extra resource", func(p *plan) { p.ResourceChanges = p.ResourceChanges[1:] }, "plan creates"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := readPlan(t, filepath.Join(dir, "batch.json"))
			tt.alter(p)
			wantReported(t, tt.want, func(rec testing.TB) { checkBatchPlan(rec, p, batchPlan) })
		})
	}
}

func checkBatchPlan(t testing.TB, p *plan, tc batchCase) {
	const mod = "module.batch."
	want := []string{mod + "aws_sfn_state_machine.this", mod + "aws_iam_role.this", mod + "aws_iam_role_policy.this", mod + "aws_iam_role_policy.function"}
	slices.Sort(want)
	if got := p.created(); !slices.Equal(got, want) {
		t.Errorf("plan creates %q, want %q", got, want)
	}

	sm := p.object(t, mod+"aws_sfn_state_machine.this")
	sm.equal(t, tc.name, "name")
	sm.equal(t, "STANDARD", "type")
	raw, _ := sm.value("definition")
	s, ok := raw.(string)
	var def map[string]any
	if !ok || json.Unmarshal([]byte(s), &def) != nil {
		t.Fatalf("%s: definition is not known JSON: %v", sm.address, raw)
	}
	d := &object{address: sm.address + ".definition", after: def}
	rank := []any{"States", "Rank"}
	at := func(path ...any) []any { return append(slices.Clone(rank), path...) }
	d.equal(t, "Rank", "StartAt")
	d.equal(t, "Map", at("Type")...)
	d.equal(t, "DISTRIBUTED", at("ItemProcessor", "ProcessorConfig", "Mode")...)
	d.equal(t, "EXPRESS", at("ItemProcessor", "ProcessorConfig", "ExecutionType")...)
	d.equal(t, "arn:aws:states:::s3:listObjectsV2", at("ItemReader", "Resource")...)
	d.equal(t, map[string]any{"Bucket": tc.bucket, "Prefix": tc.prefix}, at("ItemReader", "Parameters")...)
	d.equal(t, tc.items, at("ItemBatcher", "MaxItemsPerBatch")...)
	d.equal(t, map[string]any{
		"job.$": "$.job", "bucket": tc.bucket, "results_bucket": tc.results,
		"results_prefix.$": "States.Format('" + tc.resultsPrefix + "{}', $$.Execution.Name)",
	}, at("ItemBatcher", "BatchInput")...)
	d.equal(t, tc.concurrency, at("MaxConcurrency")...)
	d.equal(t, tc.tolerated, at("ToleratedFailurePercentage")...)
	score := at("ItemProcessor", "States", "Score")
	d.equal(t, "arn:aws:states:::lambda:invoke", append(score, "Resource")...)
	d.equal(t, map[string]any{"FunctionName": tc.functionARN, "Payload.$": "$"}, append(score, "Parameters")...)
	d.equal(t, "$.Payload", append(score, "OutputPath")...)
	d.equal(t, tc.timeout+30, append(score, "TimeoutSeconds")...)
	d.equal(t, []any{"Lambda.TooManyRequestsException", "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"},
		append(score, "Retry", 0, "ErrorEquals")...)
	d.equal(t, map[string]any{
		"Resource":     "arn:aws:states:::s3:putObject",
		"Parameters":   map[string]any{"Bucket": tc.results, "Prefix": tc.resultsPrefix + "summaries"},
		"WriterConfig": map[string]any{"OutputType": "JSONL", "Transformation": "COMPACT"},
	}, at("ResultWriter")...)

	// The roles: the state machine's, assumed by Step Functions of this
	// account only, and the grants to the function's.
	docs := mod + "data.aws_iam_policy_document."
	account := []any{map[string]any{"test": "StringEquals", "variable": "aws:SourceAccount", "values": []any{"123456789012"}}}
	trust := p.object(t, docs+"assume_role")
	checkStatements(t, trust, map[string]plannedStatement{
		"StatesAssumesRole": {actions: []any{"sts:AssumeRole"}, conditions: account, principals: []any{
			map[string]any{"type": "Service", "identifiers": []any{"states.amazonaws.com"}},
		}},
	})
	p.object(t, mod+"aws_iam_role.this").sameAs(t, "assume_role_policy", trust, "json")
	p.object(t, mod+"aws_iam_role.this").equal(t, tc.name+"-sfn", "name")
	results := "arn:aws:s3:::" + tc.results + "/" + tc.resultsPrefix + "*"
	machine := p.object(t, docs+"state_machine")
	checkStatements(t, machine, map[string]plannedStatement{
		"InvokeFunction": {actions: []any{"lambda:InvokeFunction"}, resources: []any{tc.functionARN}},
		"ListResumes": {actions: []any{"s3:ListBucket"}, resources: []any{"arn:aws:s3:::" + tc.bucket},
			conditions: []any{map[string]any{"test": "StringLike", "variable": "s3:prefix", "values": []any{tc.prefix + "*"}}}},
		"WriteSummary":   {actions: []any{"s3:PutObject"}, resources: []any{results}},
		"RunChildren":    {actions: []any{"states:StartExecution"}, resources: []any{"arn:aws:states:eu-west-1:123456789012:stateMachine:" + tc.name}},
		"ManageChildren": {actions: []any{"states:DescribeExecution", "states:StopExecution"}, resources: []any{"arn:aws:states:eu-west-1:123456789012:execution:" + tc.name + "/*"}},
	})
	p.object(t, mod+"aws_iam_role_policy.this").sameAs(t, "policy", machine, "json")
	fn := p.object(t, docs+"function")
	checkStatements(t, fn, map[string]plannedStatement{
		"ReadResumes":  {actions: []any{"s3:GetObject"}, resources: []any{"arn:aws:s3:::" + tc.bucket + "/" + tc.prefix + "*"}},
		"WriteResults": {actions: []any{"s3:PutObject"}, resources: []any{results}},
	})
	grant := p.object(t, mod+"aws_iam_role_policy.function")
	grant.sameAs(t, "policy", fn, "json")
	grant.equal(t, tc.role, "role")
}
