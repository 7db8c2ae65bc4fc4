# Plans the root module with every option the examples leave at its default,
# for TestPlan (plan_test.go): an image from an existing repository, x86_64,
# reserved and provisioned concurrency, a public function URL, CORS, fewer
# routes and the longest timeout. scripts/ci/terraform.sh plans it.

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
  region = "eu-central-1"
}

module "jobmatch" {
  source = "../../.."

  name               = "jobmatch-options"
  package_type       = "Image"
  image_uri          = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/jobmatch:0123abc"
  ecr_repository_arn = "arn:aws:ecr:eu-central-1:123456789012:repository/jobmatch"
  architecture       = "x86_64"
  memory_size        = 1024
  timeout            = 30
  environment        = { LOG_LEVEL = "debug" }

  reserved_concurrent_executions    = 10
  provisioned_concurrent_executions = 2

  create_function_url             = true
  function_url_authorization_type = "NONE"

  routes             = ["POST /match", "GET /health"]
  cors_allow_origins = ["https://example.com"]
  tags               = { project = "jobmatch" }
}
