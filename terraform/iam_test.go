package terraform

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Actions the execution role may have. Lambda needs nothing else to run
// jobmatch: the handler calls no AWS API.
var (
	logActions   = map[string]bool{"logs:CreateLogStream": true, "logs:PutLogEvents": true}
	imageActions = map[string]bool{"ecr:BatchGetImage": true, "ecr:GetDownloadUrlForLayer": true, "ecr:GetAuthorizationToken": true}
	// imageCondition is what the for_each of a dynamic statement with ECR
	// actions must depend on, so that zip deployments never get them.
	imageCondition = []string{"local.is_image", "var.package_type"}
)

// batchActions are the actions of a module that runs a state machine
// (modules/batch): its role invokes the function, lists the resumes, writes
// the summary and runs the map's children; the function's role reads the
// resumes and writes the results. Each is on resources the module builds
// from its variables, never on a literal.
var batchActions = map[string]bool{
	"lambda:InvokeFunction": true, "s3:ListBucket": true, "s3:GetObject": true, "s3:PutObject": true,
	"states:StartExecution": true, "states:DescribeExecution": true, "states:StopExecution": true,
}

// iamRules are what a module's roles may be assumed by and do.
type iamRules struct {
	principal string          // the one service that may assume a role
	actions   map[string]bool // actions beyond logActions and imageActions
}

// rulesFor returns the rules of m: a module with a state machine is the
// batch module; every other runs the function.
func rulesFor(m *module) iamRules {
	if len(m.byType("aws_sfn_state_machine")) > 0 {
		return iamRules{"states.amazonaws.com", batchActions}
	}
	return iamRules{"lambda.amazonaws.com", nil}
}

// allowedIAMResources are the only IAM resource types a module may declare:
// an execution role and inline policies built from policy documents that
// checkIAM can read. Managed policies (AWSLambdaBasicExecutionRole grants
// logs:CreateLogGroup on "*") and attachments are out.
var allowedIAMResources = map[string]bool{"aws_iam_role": true, "aws_iam_role_policy": true}

// checkIAM reports IAM that grants more than writing the function's own logs
// and, for images only, pulling the function's own image.
func checkIAM(m *module) problems {
	var p problems
	rules := rulesFor(m)
	assume := map[string]bool{}
	policy := map[string]bool{}
	repository := map[string]bool{}
	for _, key := range sortedKeys(m.resources) {
		b := m.resources[key]
		if b.Type == "resource" && b.Labels[0] == "aws_ecr_repository_policy" {
			if name, ok := policyDocument(attrExpr(b.Body, "policy")); ok {
				repository[name] = true
			} else {
				p.addf(b.DefRange(), "%s.policy must be data.aws_iam_policy_document.<name>.json", key)
			}
			continue
		}
		if b.Type != "resource" || !strings.HasPrefix(b.Labels[0], "aws_iam_") {
			continue
		}
		if !allowedIAMResources[b.Labels[0]] {
			p.addf(b.DefRange(), "%s: only aws_iam_role and aws_iam_role_policy built from aws_iam_policy_document are allowed", key)
			continue
		}
		for _, name := range []string{"inline_policy", "managed_policy_arns"} {
			if _, ok := b.Body.Attributes[name]; ok {
				p.addf(b.DefRange(), "%s: %s is not allowed; use aws_iam_role_policy", key, name)
			}
			for _, nb := range b.Body.Blocks {
				if nb.Type == name {
					p.addf(nb.DefRange(), "%s: %s is not allowed; use aws_iam_role_policy", key, name)
				}
			}
		}
		attr, docs := "policy", policy
		if b.Labels[0] == "aws_iam_role" {
			attr, docs = "assume_role_policy", assume
		}
		a, ok := b.Body.Attributes[attr]
		if !ok {
			continue // the schema check reports missing required arguments
		}
		name, ok := policyDocument(a.Expr)
		if !ok {
			p.addf(a.SrcRange, "%s.%s must be data.aws_iam_policy_document.<name>.json", key, attr)
			continue
		}
		docs[name] = true
	}
	for _, b := range m.byType("data.aws_iam_policy_document") {
		name := b.Labels[1]
		uses := 0
		for _, used := range []map[string]bool{assume, policy, repository} {
			if used[name] {
				uses++
			}
		}
		switch {
		case uses > 1:
			p.addf(b.DefRange(), "policy document %s serves more than one kind of policy", name)
		case assume[name]:
			p = append(p, checkTrustPolicy(b, rules.principal)...)
		case repository[name]:
			p = append(p, checkRepositoryPolicy(b)...)
		default:
			// Documents that nothing references yet are checked as
			// permissions, the stricter reading.
			p = append(p, checkPermissions(b, rules.actions)...)
		}
	}
	return p
}

// policyDocument returns NAME when e is data.aws_iam_policy_document.NAME.json
// (indexed or not).
func policyDocument(e hclsyntax.Expression) (string, bool) {
	n := names(traversal(e))
	if len(n) != 4 || n[0] != "data" || n[1] != "aws_iam_policy_document" || n[3] != "json" {
		return "", false
	}
	return n[2], true
}

// checkRepositoryPolicy reports an ECR repository policy that lets anyone
// but the Lambda service pull, lets it do more than pull, or lets it pull
// for any function rather than those named by aws:SourceArn.
func checkRepositoryPolicy(doc *hclsyntax.Block) problems {
	var p problems
	name := doc.Labels[1]
	for _, s := range statements(doc) {
		actions, ok := actionsOf(s)
		if !ok {
			p.addf(s.rng, "repository policy %s: actions must be a literal list of strings", name)
		}
		for _, a := range actions {
			if a != "ecr:BatchGetImage" && a != "ecr:GetDownloadUrlForLayer" {
				p.addf(s.rng, "repository policy %s: action %q is more than pulling an image", name, a)
			}
		}
		principals, sourceArn := 0, false
		for _, b := range s.body.Blocks {
			switch b.Type {
			case "principals":
				principals++
				typ, _ := literalString(attrExpr(b.Body, "type"))
				ids, _ := literalStrings(attrExpr(b.Body, "identifiers"))
				if typ != "Service" || len(ids) != 1 || ids[0] != "lambda.amazonaws.com" {
					p.addf(b.DefRange(), "repository policy %s: the only principal must be Service lambda.amazonaws.com", name)
				}
			case "condition":
				v, _ := literalString(attrExpr(b.Body, "variable"))
				test, _ := literalString(attrExpr(b.Body, "test"))
				sourceArn = sourceArn || strings.EqualFold(v, "aws:SourceArn") && (test == "ArnLike" || test == "ArnEquals")
			default:
				p.addf(b.DefRange(), "repository policy %s: %s is not allowed", name, b.Type)
			}
		}
		if principals == 0 {
			p.addf(s.rng, "repository policy %s: statement has no principals", name)
		}
		if !sourceArn {
			p.addf(s.rng, "repository policy %s: no ArnLike aws:SourceArn condition; any function could pull", name)
		}
	}
	return p
}

// statement is one statement of a policy document, with the for_each of
// the dynamic block it comes from, if any.
type statement struct {
	body    *hclsyntax.Body
	rng     hcl.Range
	forEach hclsyntax.Expression
}

func statements(doc *hclsyntax.Block) []statement {
	var out []statement
	for _, b := range doc.Body.Blocks {
		switch {
		case b.Type == "statement":
			out = append(out, statement{body: b.Body, rng: b.DefRange()})
		case b.Type == "dynamic" && len(b.Labels) == 1 && b.Labels[0] == "statement":
			var forEach hclsyntax.Expression
			if a, ok := b.Body.Attributes["for_each"]; ok {
				forEach = a.Expr
			}
			for _, c := range b.Body.Blocks {
				if c.Type == "content" {
					out = append(out, statement{body: c.Body, rng: b.DefRange(), forEach: forEach})
				}
			}
		}
	}
	return out
}

// checkTrustPolicy reports a trust policy that lets anything but the
// service principal (lambda.amazonaws.com, or states.amazonaws.com for a
// state machine) assume the role.
func checkTrustPolicy(doc *hclsyntax.Block, principal string) problems {
	var p problems
	for _, s := range statements(doc) {
		actions, ok := actionsOf(s)
		if !ok || len(actions) != 1 || actions[0] != "sts:AssumeRole" {
			p.addf(s.rng, "trust policy %s: actions must be exactly [\"sts:AssumeRole\"]", doc.Labels[1])
		}
		principals := 0
		for _, pb := range s.body.Blocks {
			if pb.Type != "principals" {
				if pb.Type == "not_principals" || pb.Type == "dynamic" {
					p.addf(pb.DefRange(), "trust policy %s: %s is not allowed", doc.Labels[1], pb.Type)
				}
				continue
			}
			principals++
			typ, _ := literalString(attrExpr(pb.Body, "type"))
			ids, _ := literalStrings(attrExpr(pb.Body, "identifiers"))
			if typ != "Service" || len(ids) != 1 || ids[0] != principal {
				p.addf(pb.DefRange(), "trust policy %s: the only principal must be Service %s", doc.Labels[1], principal)
			}
		}
		if principals == 0 {
			p.addf(s.rng, "trust policy %s: statement has no principals", doc.Labels[1])
		}
	}
	return p
}

// checkPermissions reports a permission policy that allows more than the
// function's own logs and, for images, its own image, or the module's
// other allowed actions (extra) on resources built from its variables.
func checkPermissions(doc *hclsyntax.Block, extra map[string]bool) problems {
	var p problems
	name := doc.Labels[1]
	for _, s := range statements(doc) {
		if e, ok := s.body.Attributes["effect"]; ok {
			if v, _ := literalString(e.Expr); v != "Allow" {
				// Deny statements cannot widen access, but none are expected.
				p.addf(e.SrcRange, "policy %s: effect must be the literal \"Allow\"", name)
			}
		}
		for _, bad := range []string{"not_actions", "not_resources"} {
			if a, ok := s.body.Attributes[bad]; ok {
				p.addf(a.SrcRange, "policy %s: %s grants everything else and is not allowed", name, bad)
			}
		}
		actions, ok := actionsOf(s)
		if !ok {
			p.addf(s.rng, "policy %s: actions must be a literal list of strings", name)
			continue
		}
		var logs, images, tokenOnly int
		for _, a := range actions {
			switch {
			case strings.Contains(a, "*"):
				p.addf(s.rng, "policy %s: wildcard action %q", name, a)
			case extra[a]:
			case logActions[a]:
				logs++
			case imageActions[a]:
				images++
				if a == "ecr:GetAuthorizationToken" {
					tokenOnly++
				}
			default:
				p.addf(s.rng, "policy %s: action %q is not needed by the function", name, a)
			}
		}
		if images > 0 && (s.forEach == nil || !referencesAny(s.forEach, imageCondition)) {
			p.addf(s.rng, "policy %s: ECR actions must sit in a dynamic statement whose for_each depends on %s, so that zip deployments do not get them", name, strings.Join(imageCondition, " or "))
		}
		if logs > 0 && images > 0 {
			p.addf(s.rng, "policy %s: keep log and ECR actions in separate statements, their resources differ", name)
		}
		a, ok := s.body.Attributes["resources"]
		if !ok {
			p.addf(s.rng, "policy %s: statement has no resources", name)
			continue
		}
		tuple, ok := a.Expr.(*hclsyntax.TupleConsExpr)
		if !ok {
			p.addf(a.SrcRange, "policy %s: resources must be a list written out", name)
			continue
		}
		for _, r := range tuple.Exprs {
			p = append(p, checkPolicyResource(name, r, logs > 0, images > 0, tokenOnly == len(actions))...)
		}
	}
	return p
}

// checkPolicyResource reports a statement resource that reaches beyond the
// module's own log group and image repository.
func checkPolicyResource(doc string, r hclsyntax.Expression, logs, images, tokenOnly bool) problems {
	var p problems
	if s, ok := literalString(r); ok && strings.Contains(s, "*") {
		if s != "*" || !tokenOnly {
			p.addf(r.Range(), "policy %s: wildcard resource %q; only ecr:GetAuthorizationToken, which has no resource-level permissions, may use \"*\"", doc, s)
		}
		return p
	}
	switch {
	case logs:
		// "${aws_cloudwatch_log_group.x.arn}:*": the streams of one group.
		tmpl, ok := r.(*hclsyntax.TemplateExpr)
		if !ok || len(tmpl.Parts) != 2 || !referencesAny(tmpl.Parts[0], []string{"aws_cloudwatch_log_group."}) {
			p.addf(r.Range(), "policy %s: log actions must be on \"${aws_cloudwatch_log_group.<name>.arn}:*\", the module's own log group", doc)
			break
		}
		if suffix, _ := literalString(tmpl.Parts[1]); suffix != ":*" {
			p.addf(r.Range(), "policy %s: log resource must end in \":*\" (the group's streams), not %q", doc, suffix)
		}
	case images:
		if t := traversal(r); t == nil || path(t) != "var.ecr_repository_arn" {
			p.addf(r.Range(), "policy %s: ECR pull must be on var.ecr_repository_arn, the function's own repository", doc)
		}
	default:
		if len(r.Variables()) == 0 {
			p.addf(r.Range(), "policy %s: a resource must be built from the module's variables, not written out", doc)
		}
	}
	return p
}

func actionsOf(s statement) ([]string, bool) {
	a, ok := s.body.Attributes["actions"]
	if !ok {
		return nil, false
	}
	return literalStrings(a.Expr)
}

func attrExpr(body *hclsyntax.Body, name string) hclsyntax.Expression {
	if a, ok := body.Attributes[name]; ok {
		return a.Expr
	}
	return &hclsyntax.LiteralValueExpr{Val: cty.NullVal(cty.DynamicPseudoType)}
}

func referencesAny(e hclsyntax.Expression, prefixes []string) bool {
	for _, prefix := range prefixes {
		if references(e, prefix) {
			return true
		}
	}
	return false
}

// checkAliases reports provisioned concurrency that is not configured on an
// alias of this module (it cannot be on $LATEST, and a bare version number
// would pin it to old code), and aliases of functions that do not publish
// versions.
func checkAliases(m *module) problems {
	var p problems
	for _, b := range m.byType("aws_lambda_provisioned_concurrency_config") {
		a, ok := b.Body.Attributes["qualifier"]
		t := traversal(attrExpr(b.Body, "qualifier"))
		if !ok || len(t) != 3 || t.RootName() != "aws_lambda_alias" || path(t[2:]) != "name" {
			p.addf(b.DefRange(), "provisioned concurrency %s: qualifier must be aws_lambda_alias.<name>.name", b.Labels[1])
			continue
		}
		if _, ok := m.resources["aws_lambda_alias."+path(t[1:2])]; !ok {
			p.addf(a.SrcRange, "provisioned concurrency %s: no aws_lambda_alias.%s in the module", b.Labels[1], path(t[1:2]))
		}
	}
	for _, b := range m.byType("aws_lambda_alias") {
		t := traversal(attrExpr(b.Body, "function_version"))
		if len(t) != 3 || t.RootName() != "aws_lambda_function" || path(t[2:]) != "version" {
			p.addf(b.DefRange(), "alias %s: function_version must be aws_lambda_function.<name>.version, the latest published version", b.Labels[1])
			continue
		}
		fn, ok := m.resources["aws_lambda_function."+path(t[1:2])]
		if !ok {
			continue // the reference check reports it
		}
		if v, ok := literal(attrExpr(fn.Body, "publish")); !ok || !v.Type().Equals(cty.Bool) || v.False() {
			p.addf(fn.DefRange(), "function %s has an alias but not publish = true; the alias would stay on $LATEST's version forever", fn.Labels[1])
		}
	}
	return p
}

// checkInvokePermissions reports permissions that let API Gateway invoke
// the function from any API, or invoke $LATEST rather than the alias.
func checkInvokePermissions(m *module) problems {
	var p problems
	for _, b := range m.byType("aws_lambda_permission") {
		if principal, _ := literalString(attrExpr(b.Body, "principal")); principal != "apigateway.amazonaws.com" {
			continue
		}
		tmpl, ok := attrExpr(b.Body, "source_arn").(*hclsyntax.TemplateExpr)
		if !ok || len(tmpl.Parts) == 0 || path(traversal(tmpl.Parts[0])) == "" ||
			!strings.HasPrefix(path(traversal(tmpl.Parts[0])), "aws_apigatewayv2_api.") ||
			!strings.HasSuffix(path(traversal(tmpl.Parts[0])), ".execution_arn") {
			p.addf(b.DefRange(), "permission %s: source_arn must start with aws_apigatewayv2_api.<name>.execution_arn, so that only this API may invoke", b.Labels[1])
		}
		if _, ok := b.Body.Attributes["qualifier"]; !ok {
			p.addf(b.DefRange(), "permission %s: no qualifier; API Gateway invokes the alias, so the permission must name it", b.Labels[1])
		}
	}
	return p
}
