output "api_url" {
  description = "Base URL of the HTTP API."
  value       = module.jobmatch.api_url
}

output "function_name" {
  description = "Name of the Lambda function."
  value       = module.jobmatch.function_name
}
