output "state_machine_arn" {
  description = "ARN of the state machine to start with {\"job\": \"...\"}."
  value       = module.batch.state_machine_arn
}

output "results_uri" {
  description = "Where the executions write their results."
  value       = module.batch.results_uri
}

output "ecr_repository_url" {
  description = "Repository to push the image to."
  value       = module.jobmatch.ecr_repository_url
}
