variable "arch" {
  description = "A string where the provider wants a list."
  type        = string
  default     = "arm64"
}

resource "aws_apigatewayv2_integration" "typo" {
  api_id                 = "abc"
  integration_type       = "AWS_PROXY"
  payload_format         = "2.0"
  payload_format_version = "2.0"
}

resource "aws_lambda_alias" "no_version" {
  name          = "live"
  function_name = "broken"
}

resource "aws_lambda_function" "types" {
  function_name = "broken"
  role          = "arn:aws:iam::123456789012:role/broken"
  architectures = "arm64"
  memory_size   = "a lot"
  publish       = true

  logging_config {
    log_format = "Text"
  }

  logging_config {
    log_format = "JSON"
  }
}

resource "aws_lambda_function" "var_type" {
  function_name = "broken"
  role          = "arn:aws:iam::123456789012:role/broken"
  architectures = var.arch
}

resource "aws_apigatewayv2_stage" "blocks" {
  api_id = "abc"
  name   = "$default"

  throttle {
    burst_limit = 10
  }
}

resource "aws_lambda_functions" "plural" {
  function_name = "broken"
}

resource "aws_lambda_alias" "computed" {
  name             = "live"
  function_name    = "broken"
  function_version = "1"
  invoke_arn       = "arn:aws:apigateway:eu-west-1:lambda:path/x/invocations"
}

provider "aws" {
  alias  = "typo"
  regoin = "eu-west-1"
}
