resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  description   = "jobmatch HTTP API, served by the Lambda function ${var.lambda_function_name}."
  protocol_type = "HTTP"

  dynamic "cors_configuration" {
    for_each = length(var.cors_allow_origins) > 0 ? [var.cors_allow_origins] : []

    content {
      allow_origins = cors_configuration.value
      allow_methods = distinct([for r in var.routes : split(" ", r)[0] == "ANY" ? "*" : split(" ", r)[0]])
      allow_headers = ["content-type"]
      max_age       = 3600
    }
  }

  tags = var.tags
}

resource "aws_apigatewayv2_integration" "lambda" {
  api_id                 = aws_apigatewayv2_api.this.id
  description            = "Lambda proxy to ${var.lambda_function_name}:${var.lambda_alias_name}."
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = var.lambda_invoke_arn
  timeout_milliseconds   = min(30000, var.lambda_timeout * 1000 + 1000) # the function's timeout, plus a second to answer
  payload_format_version = "2.0"                                        # the provider defaults to 1.0, whose event shape the handler does not read
}

resource "aws_apigatewayv2_route" "this" {
  for_each = toset(var.routes)

  api_id    = aws_apigatewayv2_api.this.id
  route_key = each.value
  target    = "integrations/${aws_apigatewayv2_integration.lambda.id}"
}

# tfsec:ignore:aws-cloudwatch-log-group-customer-key Access logs hold request metadata (IP, route, status, latency), not bodies; the AWS-owned key is enough and a customer key would cost a KMS key per stack.
resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}"
  retention_in_days = var.access_log_retention_in_days
  tags              = var.tags
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_burst_limit = var.throttling_burst_limit
    throttling_rate_limit  = var.throttling_rate_limit
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId        = "$context.requestId"
      ip               = "$context.identity.sourceIp"
      requestTime      = "$context.requestTime"
      routeKey         = "$context.routeKey"
      status           = "$context.status"
      responseLength   = "$context.responseLength"
      latency          = "$context.responseLatency"
      integrationError = "$context.integrationErrorMessage"
    })
  }

  tags = var.tags
}

# Only this API may invoke the alias, on any of its stages and routes.
resource "aws_lambda_permission" "api" {
  statement_id  = "AllowHttpApiInvoke"
  action        = "lambda:InvokeFunction"
  function_name = var.lambda_function_name
  qualifier     = var.lambda_alias_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*/*"
}
