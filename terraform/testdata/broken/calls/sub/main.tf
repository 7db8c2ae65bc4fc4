variable "name" {
  description = "Required: no default."
  type        = string
}

variable "timeout" {
  description = "Optional."
  type        = number
  default     = 15
}

output "arn" {
  description = "Some ARN."
  value       = "arn:aws:lambda:eu-west-1:123456789012:function:${var.name}"
}
