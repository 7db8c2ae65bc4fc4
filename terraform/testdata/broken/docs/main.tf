variable "untyped" {
  description = "Has no type."
}

variable "undocumented" {
  type = string
}

variable "quoted_type" {
  description = "Names a type that does not exist."
  type        = strng
}

output "undocumented" {
  value = var.untyped
}
