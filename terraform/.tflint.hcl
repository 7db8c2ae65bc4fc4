# tflint configuration for scripts/ci/terraform.sh. Only the terraform
# ruleset, which is built into tflint: the aws ruleset is a plugin that would
# have to be downloaded, and CI cannot. Its job (are the arguments valid for
# the AWS provider?) is done by terraform_test.go against the provider schema.
config {
  call_module_type = "local"
}

plugin "terraform" {
  enabled = true
  preset  = "all"
}

# The root module declares the aws provider its submodules use, as
# terraform-aws-modules do, so that one pin is visible where users call it.
rule "terraform_unused_required_providers" {
  enabled = false
}
