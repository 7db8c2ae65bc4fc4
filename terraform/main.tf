locals {
  is_image = var.package_type == "Image"

  # The zip unpacks under /var/task; the image sets JOBMATCH_MODEL_DIR itself.
  environment = merge(local.is_image ? {} : { JOBMATCH_MODEL_DIR = "/var/task/model" }, var.environment)

  image_uri = !local.is_image ? null : (
    var.image_uri != null ? var.image_uri : (
      var.create_ecr && var.image_tag != null ? "${one(module.ecr[*].repository_url)}:${var.image_tag}" : null
    )
  )
  ecr_repository_arn = var.create_ecr ? one(module.ecr[*].repository_arn) : var.ecr_repository_arn
}

module "ecr" {
  source = "./modules/ecr"
  count  = var.create_ecr ? 1 : 0

  name             = var.name
  immutable_tags   = var.ecr_immutable_tags
  keep_last_images = var.ecr_keep_last_images
  force_delete     = var.ecr_force_delete
  tags             = var.tags

  lambda_function_names = [var.name]
}

module "lambda" {
  source = "./modules/lambda"

  function_name = var.name
  description   = "jobmatch: scores a resume against a job description."
  package_type  = var.package_type

  filename          = var.filename
  s3_bucket         = var.s3_bucket
  s3_key            = var.s3_key
  s3_object_version = var.s3_object_version
  source_code_hash  = var.source_code_hash

  image_uri          = local.image_uri
  ecr_repository_arn = local.is_image ? local.ecr_repository_arn : null

  architecture                      = var.architecture
  memory_size                       = var.memory_size
  timeout                           = var.timeout
  environment                       = local.environment
  reserved_concurrent_executions    = var.reserved_concurrent_executions
  provisioned_concurrent_executions = var.provisioned_concurrent_executions
  log_retention_in_days             = var.log_retention_in_days

  create_function_url             = var.create_function_url
  function_url_authorization_type = var.function_url_authorization_type

  tags = var.tags
}

module "api_gateway" {
  source = "./modules/api_gateway"
  count  = var.create_api ? 1 : 0

  name                 = var.name
  lambda_function_name = module.lambda.function_name
  lambda_alias_name    = module.lambda.alias_name
  lambda_invoke_arn    = module.lambda.alias_invoke_arn
  lambda_timeout       = var.timeout

  routes                       = var.routes
  throttling_burst_limit       = var.throttling_burst_limit
  throttling_rate_limit        = var.throttling_rate_limit
  cors_allow_origins           = var.cors_allow_origins
  access_log_retention_in_days = var.log_retention_in_days
  tags                         = var.tags
}
