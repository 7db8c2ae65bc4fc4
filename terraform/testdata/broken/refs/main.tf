resource "aws_lambda_function" "this" {
  function_name = "broken"
  role          = "arn:aws:iam::123456789012:role/broken"
}

resource "aws_lambda_function_url" "counted" {
  count = 1

  function_name      = aws_lambda_function.this.function_name
  authorization_type = "AWS_IAM"
}

output "invoke_url" {
  description = "An attribute aws_lambda_function does not have."
  value       = aws_lambda_function.this.invoke_url
}

output "undeclared" {
  description = "A variable nobody declared."
  value       = var.nowhere
}

output "no_index" {
  description = "A counted resource read without an index."
  value       = aws_lambda_function_url.counted.function_url
}

output "missing_resource" {
  description = "A resource nobody declared."
  value       = aws_lambda_alias.live.arn
}
