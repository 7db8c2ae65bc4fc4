variable "function_name" {
  description = "Name of the Lambda function; also names its IAM role and its log group /aws/lambda/<name>."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.function_name))
    error_message = "The function_name must be 1 to 64 letters, digits, hyphens or underscores."
  }
}

variable "description" {
  description = "Description of the Lambda function."
  type        = string
  default     = ""
}

variable "package_type" {
  description = "How the code is packaged: \"Zip\" (bootstrap and model in a zip, runtime provided.al2023) or \"Image\" (container image in ECR)."
  type        = string
  default     = "Zip"

  validation {
    condition     = contains(["Zip", "Image"], var.package_type)
    error_message = "The package_type must be \"Zip\" or \"Image\"."
  }
}

variable "filename" {
  description = "Path of the zip to upload directly (package_type Zip). Direct uploads are limited to 50 MB; a zip that carries the model is larger, so use s3_bucket and s3_key instead."
  type        = string
  default     = null
}

variable "s3_bucket" {
  description = "S3 bucket holding the zip (package_type Zip), as an alternative to filename."
  type        = string
  default     = null
}

variable "s3_key" {
  description = "S3 key of the zip in s3_bucket (package_type Zip)."
  type        = string
  default     = null
}

variable "s3_object_version" {
  description = "Version of the S3 object s3_key, if the bucket is versioned."
  type        = string
  default     = null
}

variable "source_code_hash" {
  description = "Base64 SHA-256 of the zip, e.g. filebase64sha256(\"dist/jobmatch.zip\"); a change triggers a code update and a new version (package_type Zip)."
  type        = string
  default     = null
}

variable "image_uri" {
  description = "ECR image URI, <account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag> or @sha256:<digest> (package_type Image)."
  type        = string
  default     = null

  validation {
    condition     = var.image_uri == null || can(regex("^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/[a-z0-9._/-]+[:@].+$", var.image_uri))
    error_message = "The image_uri must be an ECR image URI with a tag or digest."
  }
}

variable "ecr_repository_arn" {
  description = "ARN of the ECR repository that holds image_uri; the execution role may pull from this repository only (package_type Image)."
  type        = string
  default     = null

  validation {
    condition     = var.ecr_repository_arn == null || can(regex("^arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/.+$", var.ecr_repository_arn))
    error_message = "The ecr_repository_arn must be an ECR repository ARN."
  }
}

variable "architecture" {
  description = "Instruction set of the function: \"arm64\" (Graviton, about 20% cheaper per GB-second) or \"x86_64\". Must match GOARCH of the bootstrap binary."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "The architecture must be \"arm64\" or \"x86_64\"."
  }
}

variable "memory_size" {
  description = "Memory of the function in MB; CPU share grows with it. jobmatch needs about 512."
  type        = number
  default     = 512

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "The memory_size must be a whole number of MB from 128 to 10240."
  }
}

variable "timeout" {
  description = "Timeout of one invocation in seconds. Behind an API Gateway HTTP API more than 30 is useless: the integration gives up at 30 s."
  type        = number
  default     = 15

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    error_message = "The timeout must be a whole number of seconds from 1 to 900."
  }
}

variable "environment" {
  description = "Environment variables of the function."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.environment) : can(regex("^[A-Za-z][A-Za-z0-9_]*$", k))])
    error_message = "Environment variable names must start with a letter and hold only letters, digits and underscores."
  }
}

variable "reserved_concurrent_executions" {
  description = "Concurrent executions reserved for the function; -1 leaves it unreserved, 0 disables it."
  type        = number
  default     = -1

  validation {
    condition     = var.reserved_concurrent_executions >= -1 && floor(var.reserved_concurrent_executions) == var.reserved_concurrent_executions
    error_message = "The reserved_concurrent_executions must be -1 or a whole number >= 0."
  }
}

variable "provisioned_concurrent_executions" {
  description = "Pre-initialised execution environments kept on the alias (never on $LATEST); 0 disables provisioned concurrency. Billed while idle."
  type        = number
  default     = 0

  validation {
    condition     = var.provisioned_concurrent_executions >= 0 && floor(var.provisioned_concurrent_executions) == var.provisioned_concurrent_executions
    error_message = "The provisioned_concurrent_executions must be a whole number >= 0."
  }
}

variable "alias_name" {
  description = "Name of the alias that points at the latest published version; API Gateway, the function URL and provisioned concurrency use it."
  type        = string
  default     = "live"

  validation {
    condition     = can(regex("^[A-Za-z_-][A-Za-z0-9_-]{0,127}$", var.alias_name)) && var.alias_name != "$LATEST"
    error_message = "The alias_name must be 1 to 128 letters, digits, hyphens or underscores, must not start with a digit and must not be $LATEST."
  }
}

variable "log_retention_in_days" {
  description = "Days to keep the function's logs."
  type        = number
  default     = 14

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "The log_retention_in_days must be a retention period that CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, ... 3653)."
  }
}

variable "create_function_url" {
  description = "Whether to give the alias a Lambda function URL (an alternative to API Gateway with no 30 s limit)."
  type        = bool
  default     = false
}

variable "function_url_authorization_type" {
  description = "Authorization of the function URL: \"AWS_IAM\" (callers sign requests) or \"NONE\" (public)."
  type        = string
  default     = "AWS_IAM"

  validation {
    condition     = contains(["AWS_IAM", "NONE"], var.function_url_authorization_type)
    error_message = "The function_url_authorization_type must be \"AWS_IAM\" or \"NONE\"."
  }
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
