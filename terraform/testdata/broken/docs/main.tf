variable "untyped" {
  description = "Has no type."
}

variable "undocumented" {
  type = string
}

variable "quoted_type" {
  description = "Uses the Terraform 0.11 quoted type."
  type        = "string"
}

output "undocumented" {
  value = var.untyped
}
