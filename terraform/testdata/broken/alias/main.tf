resource "aws_lambda_function" "this" {
  function_name = "broken"
  role          = "arn:aws:iam::123456789012:role/broken"
  runtime       = "provided.al2023"
  handler       = "bootstrap"
  filename      = "broken.zip"
}

resource "aws_lambda_alias" "this" {
  name             = "live"
  function_name    = aws_lambda_function.this.function_name
  function_version = aws_lambda_function.this.version
}

resource "aws_lambda_provisioned_concurrency_config" "latest" {
  function_name                     = aws_lambda_function.this.function_name
  qualifier                         = "$LATEST"
  provisioned_concurrent_executions = 2
}
