# Passes `terraform validate`, where var.policy is unknown, and must fail
# `terraform plan` with the stand-in provider, as it would with the real one
# (scripts/ci/terraform.sh checks both).

variable "policy" {
  description = "Null, where aws_iam_role needs a policy."
  type        = string
  default     = null
}

resource "aws_iam_role" "null_policy" {
  name               = "broken"
  assume_role_policy = var.policy
}
