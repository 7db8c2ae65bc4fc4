output "api_url" {
  description = "Base URL of the HTTP API (POST <url>match, POST <url>keywords, GET <url>health), or null when create_api is false."
  value       = one(module.api_gateway[*].api_url)
}

output "function_name" {
  description = "Name of the Lambda function."
  value       = module.lambda.function_name
}

output "function_arn" {
  description = "ARN of the Lambda function (unqualified)."
  value       = module.lambda.function_arn
}

output "alias_arn" {
  description = "ARN of the alias that serves traffic and holds any provisioned concurrency."
  value       = module.lambda.alias_arn
}

output "function_url" {
  description = "Function URL of the alias, or null when create_function_url is false."
  value       = module.lambda.function_url
}

output "log_group_name" {
  description = "CloudWatch log group of the function."
  value       = module.lambda.log_group_name
}

output "ecr_repository_url" {
  description = "URL of the created ECR repository to push the image to, or null when create_ecr is false."
  value       = one(module.ecr[*].repository_url)
}

output "role_name" {
  description = "Name of the function's execution role (modules/batch grants it S3 access)."
  value       = module.lambda.role_name
}

output "timeout" {
  description = "Timeout of the function in seconds, for modules/batch."
  value       = var.timeout
}
