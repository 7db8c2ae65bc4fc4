output "function_name" {
  description = "Name of the Lambda function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the Lambda function (unqualified)."
  value       = aws_lambda_function.this.arn
}

output "function_version" {
  description = "Latest published version of the function, the one the alias points at."
  value       = aws_lambda_function.this.version
}

output "alias_name" {
  description = "Name of the alias that serves traffic."
  value       = aws_lambda_alias.this.name
}

output "alias_arn" {
  description = "ARN of the alias (the function ARN qualified with the alias name)."
  value       = aws_lambda_alias.this.arn
}

output "alias_invoke_arn" {
  description = "Invoke ARN of the alias, for an API Gateway integration."
  value       = aws_lambda_alias.this.invoke_arn
}

output "function_url" {
  description = "URL of the alias's function URL, or null when create_function_url is false."
  value       = one(aws_lambda_function_url.this[*].function_url)
}

output "role_arn" {
  description = "ARN of the function's execution role."
  value       = aws_iam_role.this.arn
}

output "log_group_name" {
  description = "Name of the function's CloudWatch log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "role_name" {
  description = "Name of the function's execution role, to which other modules (batch) attach the permissions they need."
  value       = aws_iam_role.this.name
}
