// Package terraform holds the Terraform module that deploys jobmatch as an
// AWS Lambda function behind an API Gateway HTTP API, and the tests that
// check it offline.
//
// The module itself is HCL (main.tf, variables.tf, outputs.tf, versions.tf
// and modules/, examples/); see README.md. This Go package has no code of its
// own: its tests parse every module with github.com/hashicorp/hcl/v2 and
// check what `terraform validate` would check if the AWS provider could be
// downloaded (arguments against the provider's schema, references, module
// wiring) and the rules this deployment depends on (payload format 2.0,
// arm64, a 30 s timeout, a least-privilege role, provisioned concurrency on
// an alias). TestPlan checks the same rules on `terraform plan` output of
// the examples, which scripts/ci/terraform.sh makes with a stand-in for the
// AWS provider (tools/schemaprovider) and passes in $JOBMATCH_TF_PLAN_DIR.
package terraform
