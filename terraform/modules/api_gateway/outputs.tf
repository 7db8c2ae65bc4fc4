output "api_id" {
  description = "ID of the HTTP API."
  value       = aws_apigatewayv2_api.this.id
}

output "api_url" {
  description = "Base URL of the $default stage, e.g. https://<id>.execute-api.<region>.amazonaws.com/; routes hang below it."
  value       = aws_apigatewayv2_stage.default.invoke_url
}

output "execution_arn" {
  description = "Execution ARN of the HTTP API, the prefix of the source ARN in the Lambda permission."
  value       = aws_apigatewayv2_api.this.execution_arn
}

output "access_log_group_name" {
  description = "Name of the CloudWatch log group that receives the access logs."
  value       = aws_cloudwatch_log_group.access.name
}
