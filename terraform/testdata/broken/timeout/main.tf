variable "timeout" {
  description = "Allows the Python service's 120 s."
  type        = number
  default     = 120

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900
    error_message = "The timeout must be from 1 to 900."
  }
}
