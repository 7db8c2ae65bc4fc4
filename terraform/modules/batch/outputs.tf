output "state_machine_arn" {
  description = "ARN of the state machine; start an execution with input {\"job\": \"<job description>\"}."
  value       = aws_sfn_state_machine.this.arn
}

output "state_machine_name" {
  description = "Name of the state machine."
  value       = aws_sfn_state_machine.this.name
}

output "role_arn" {
  description = "ARN of the state machine's IAM role."
  value       = aws_iam_role.this.arn
}

output "results_uri" {
  description = "S3 URI under which the executions write their results."
  value       = "s3://${var.results_bucket}/${var.results_prefix}"
}
