output "api_url" {
  description = "Base URL of the HTTP API."
  value       = module.jobmatch.api_url
}

output "ecr_repository_url" {
  description = "ECR repository to push the image to."
  value       = module.jobmatch.ecr_repository_url
}
