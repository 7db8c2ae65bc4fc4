module "missing_name" {
  source = "./sub"

  timeout = 10
}

module "typo" {
  source = "./sub"

  name    = "x"
  timeuot = 10
}

module "wrong_type" {
  source = "./sub"

  name    = "x"
  timeout = "soon"
}

output "nope" {
  description = "Reads an output the module does not have."
  value       = module.typo.nope
}
