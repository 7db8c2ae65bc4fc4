variable "architecture" {
  description = "Defaults to x86_64 and lets amd64 through."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["arm64", "x86_64", "amd64"], var.architecture)
    error_message = "Unknown architecture."
  }
}
