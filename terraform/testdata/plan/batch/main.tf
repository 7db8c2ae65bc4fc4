# Plans modules/batch alone with known inputs, for TestPlanBatch
# (batch_plan_test.go): the state machine's definition is then known in the
# plan, which it is not in examples/batch (the function's ARN is AWS's to
# say). scripts/ci/terraform.sh plans it.

terraform {
  required_version = ">= 1.5.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.25.0, < 7.0.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

module "batch" {
  source = "../../../modules/batch"

  name                         = "jobmatch-rank"
  function_arn                 = "arn:aws:lambda:eu-west-1:123456789012:function:jobmatch:live"
  function_role_name           = "jobmatch"
  function_timeout             = 30
  input_bucket                 = "acme-resumes"
  input_prefix                 = "2026/12/"
  results_bucket               = "acme-results"
  max_items_per_batch          = 40
  max_concurrency              = 250
  tolerated_failure_percentage = 2
}
