# Test-only root module: applies the jobmatch modules with the real AWS
# provider against moto on loopback (scripts/ci/apply.sh), every endpoint
# overridden: a zip function behind the HTTP API, an image function from a
# created ECR repository without an API, and batch ranking over the image
# function. check.py then asserts on what moto holds.

terraform {
  required_version = ">= 1.5.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.25.0, < 7.0.0"
    }
  }
}

variable "endpoint" {
  description = "URL of the moto server."
  type        = string
}

variable "zip_path" {
  description = "A zip to deploy (a stand-in: moto never runs it)."
  type        = string
}

provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  s3_use_path_style           = true

  endpoints {
    apigatewayv2 = var.endpoint
    ecr          = var.endpoint
    iam          = var.endpoint
    lambda       = var.endpoint
    logs         = var.endpoint
    s3           = var.endpoint
    s3control    = "http://s3-control.eu-west-1.amazonaws.com" # through moto_server.py's proxy
    sfn          = var.endpoint
    sts          = var.endpoint
  }
}

resource "aws_s3_bucket" "this" {
  for_each      = toset(["jobmatch-artifacts", "jobmatch-resumes", "jobmatch-results"])
  bucket        = each.key
  force_destroy = true
}

resource "aws_s3_object" "zip" {
  bucket      = aws_s3_bucket.this["jobmatch-artifacts"].bucket
  key         = "jobmatch/${filesha256(var.zip_path)}.zip"
  source      = var.zip_path
  source_hash = filebase64sha256(var.zip_path)
}

module "zip" {
  source = "../.."

  name             = "jobmatch-zip"
  package_type     = "Zip"
  s3_bucket        = aws_s3_object.zip.bucket
  s3_key           = aws_s3_object.zip.key
  source_code_hash = filebase64sha256(var.zip_path)
  timeout          = 20
  environment      = { JOBMATCH_INT8 = "true" }
}

module "image" {
  source = "../.."

  name             = "jobmatch-image"
  package_type     = "Image"
  architecture     = "x86_64"
  create_ecr       = true
  ecr_force_delete = true
  image_tag        = "0123abc"
  create_api       = false
  memory_size      = 1769
  timeout          = 30
}

module "batch" {
  source = "../../modules/batch"

  name                = "jobmatch-rank"
  function_arn        = module.image.alias_arn
  function_role_name  = module.image.role_name
  function_timeout    = module.image.timeout
  input_bucket        = aws_s3_bucket.this["jobmatch-resumes"].bucket
  results_bucket      = aws_s3_bucket.this["jobmatch-results"].bucket
  max_items_per_batch = 40
  max_concurrency     = 25
}

output "api_url" {
  description = "URL of the zip function's HTTP API."
  value       = module.zip.api_url
}

output "state_machine_arn" {
  description = "ARN of the batch state machine."
  value       = module.batch.state_machine_arn
}
