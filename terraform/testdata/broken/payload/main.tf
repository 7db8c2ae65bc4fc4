resource "aws_apigatewayv2_integration" "default_format" {
  api_id           = "abc"
  integration_type = "AWS_PROXY"
  integration_uri  = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/x/invocations"
}

resource "aws_apigatewayv2_integration" "old_format" {
  api_id                 = "abc"
  integration_type       = "AWS_PROXY"
  integration_uri        = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/x/invocations"
  payload_format_version = "1.0"
}
