variable "forgotten" {
  description = "Nothing reads it."
  type        = string
  default     = "x"
}

locals {
  spare = "nothing reads it either"
}

data "aws_region" "current" {}
