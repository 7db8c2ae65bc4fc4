# Batch ranking: the image-based function of examples/image, no HTTP API,
# and a Step Functions Distributed Map that ranks every resume under
# s3://<resumes_bucket>/resumes/ against a job. Once applied:
#
#	aws stepfunctions start-execution --state-machine-arn <state_machine_arn> \
#		--input '{"job": "Hiring a data scientist with Python and SQL."}'
#
# and the results are under s3://<results_bucket>/results/<execution name>/.

module "jobmatch" {
  source = "../.."

  name         = "jobmatch-batch"
  package_type = "Image"
  architecture = var.architecture
  create_ecr   = true
  image_tag    = var.image_tag
  create_api   = false
  # The root module caps the timeout at the HTTP API's 30 s; batches are
  # sized to fit it (README.md, "Capacity"). 1769 MB is one full vCPU.
  memory_size = 1769
  timeout     = 30
}

module "batch" {
  source = "../../modules/batch"

  name                = "jobmatch-rank"
  function_arn        = module.jobmatch.alias_arn
  function_role_name  = module.jobmatch.role_name
  function_timeout    = module.jobmatch.timeout
  input_bucket        = var.resumes_bucket
  results_bucket      = var.results_bucket
  max_items_per_batch = 100
  max_concurrency     = var.max_concurrency
}
