variable "name" {
  description = "Name of the service; names the function, its role and log group, the HTTP API and the ECR repository."
  type        = string
  default     = "jobmatch"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,62}$", var.name))
    error_message = "The name must be 1 to 63 lower-case letters, digits or hyphens, starting with a letter or digit (it also names the ECR repository)."
  }
}

variable "package_type" {
  description = "How the function is packaged: \"Zip\" (lambda/package.sh: bootstrap plus model, runtime provided.al2023) or \"Image\" (lambda/Dockerfile, pushed to ECR)."
  type        = string
  default     = "Zip"

  validation {
    condition     = contains(["Zip", "Image"], var.package_type)
    error_message = "The package_type must be \"Zip\" or \"Image\"."
  }
}

variable "filename" {
  description = "Path of the zip to upload directly (package_type Zip). Direct uploads are limited to 50 MB and the zip with the model is about 80 MB, so prefer s3_bucket and s3_key."
  type        = string
  default     = null
}

variable "s3_bucket" {
  description = "S3 bucket that holds the zip (package_type Zip)."
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
  description = "Base64 SHA-256 of the zip, filebase64sha256(\"dist/jobmatch-arm64.zip\"); when it changes the code is updated and a new version published (package_type Zip)."
  type        = string
  default     = null
}

variable "image_uri" {
  description = "ECR image URI with tag or digest (package_type Image). When null and create_ecr is true, the module's repository with image_tag is used."
  type        = string
  default     = null
}

variable "image_tag" {
  description = "Tag of the image in the module's ECR repository, used when package_type is Image, create_ecr is true and image_uri is null. Tags are immutable by default, so use a new one per build (e.g. the git commit)."
  type        = string
  default     = null

  validation {
    condition     = var.image_tag == null || can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag))
    error_message = "The image_tag must be a valid Docker tag (up to 128 letters, digits, _, . or -)."
  }
}

variable "create_ecr" {
  description = "Whether to create an ECR repository (scan on push, lifecycle policy) for the function's image."
  type        = bool
  default     = false
}

variable "ecr_repository_arn" {
  description = "ARN of an existing ECR repository holding image_uri, when create_ecr is false (package_type Image)."
  type        = string
  default     = null
}

variable "ecr_immutable_tags" {
  description = "Whether the created ECR repository has immutable tags."
  type        = bool
  default     = true
}

variable "ecr_keep_last_images" {
  description = "Number of most recent images the created ECR repository keeps."
  type        = number
  default     = 10

  validation {
    condition     = var.ecr_keep_last_images >= 1 && var.ecr_keep_last_images <= 1000 && floor(var.ecr_keep_last_images) == var.ecr_keep_last_images
    error_message = "The ecr_keep_last_images must be a whole number from 1 to 1000."
  }
}

variable "ecr_force_delete" {
  description = "Whether destroying the created ECR repository also deletes its images."
  type        = bool
  default     = false
}

variable "architecture" {
  description = "Instruction set of the function: \"arm64\" (Graviton, about 20% cheaper per GB-second) or \"x86_64\". Must match the bootstrap binary (GOARCH arm64 or amd64)."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "The architecture must be \"arm64\" or \"x86_64\"."
  }
}

variable "memory_size" {
  description = "Memory of the function in MB (CPU share grows with it). jobmatch needs about 512; the Python service it replaces used 5000."
  type        = number
  default     = 512

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "The memory_size must be a whole number of MB from 128 to 10240."
  }
}

variable "timeout" {
  description = "Timeout of one invocation in seconds, at most 30: the HTTP API integration gives up after 30 s, so the 120 s of the Python service only billed work nobody waited for."
  type        = number
  default     = 15

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 30 && floor(var.timeout) == var.timeout
    error_message = "The timeout must be a whole number of seconds from 1 to 30: an API Gateway HTTP API integration times out after 30 s."
  }
}

variable "environment" {
  description = "Extra environment variables of the function. JOBMATCH_MODEL_DIR is set to /var/task/model for Zip (the image sets /opt/model itself) unless given here. JOBMATCH_INT8 = \"true\" loads the model with int8 linear layers (sbert.WithInt8: faster where the CPU has int8 dot products, similarities within about 0.01)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.environment) : can(regex("^[A-Za-z][A-Za-z0-9_]*$", k))])
    error_message = "Environment variable names must start with a letter and hold only letters, digits and underscores."
  }
}

variable "reserved_concurrent_executions" {
  description = "Concurrent executions reserved for the function (a cap on cost too); -1 leaves it unreserved."
  type        = number
  default     = -1

  validation {
    condition     = var.reserved_concurrent_executions >= -1 && floor(var.reserved_concurrent_executions) == var.reserved_concurrent_executions
    error_message = "The reserved_concurrent_executions must be -1 or a whole number >= 0."
  }
}

variable "provisioned_concurrent_executions" {
  description = "Pre-initialised environments kept warm on the alias; 0 (the default) disables them. Billed while idle."
  type        = number
  default     = 0

  validation {
    condition     = var.provisioned_concurrent_executions >= 0 && floor(var.provisioned_concurrent_executions) == var.provisioned_concurrent_executions
    error_message = "The provisioned_concurrent_executions must be a whole number >= 0."
  }
}

variable "log_retention_in_days" {
  description = "Days to keep the function's logs and the API's access logs."
  type        = number
  default     = 14

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "The log_retention_in_days must be a retention period that CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, ... 3653)."
  }
}

variable "create_api" {
  description = "Whether to put an API Gateway HTTP API in front of the function."
  type        = bool
  default     = true
}

variable "routes" {
  description = "Route keys of the HTTP API, all served by the function."
  type        = list(string)
  default     = ["GET /", "POST /match", "POST /rank", "POST /keywords", "POST /text", "GET /health"]

  validation {
    condition     = length(var.routes) > 0 && alltrue([for r in var.routes : can(regex("^(ANY|GET|HEAD|OPTIONS|PATCH|POST|PUT|DELETE) /[A-Za-z0-9/_{}+.-]*$", r))])
    error_message = "Each route must be \"METHOD /path\" with METHOD one of ANY, GET, HEAD, OPTIONS, PATCH, POST, PUT, DELETE."
  }
}

variable "throttling_burst_limit" {
  description = "Burst limit (requests) of the HTTP API's $default stage."
  type        = number
  default     = 50

  validation {
    condition     = var.throttling_burst_limit >= 0 && floor(var.throttling_burst_limit) == var.throttling_burst_limit
    error_message = "The throttling_burst_limit must be a whole number >= 0."
  }
}

variable "throttling_rate_limit" {
  description = "Steady-state rate limit (requests per second) of the HTTP API's $default stage."
  type        = number
  default     = 20

  validation {
    condition     = var.throttling_rate_limit >= 0
    error_message = "The throttling_rate_limit must be >= 0."
  }
}

variable "cors_allow_origins" {
  description = "Origins allowed to call the HTTP API from a browser; empty disables CORS."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for o in var.cors_allow_origins : o == "*" || can(regex("^https?://[^/]+$", o))])
    error_message = "Each CORS origin must be \"*\" or a scheme and host such as https://example.com."
  }
}

variable "create_function_url" {
  description = "Whether to give the function's alias a function URL, instead of or beside the HTTP API."
  type        = bool
  default     = false
}

variable "function_url_authorization_type" {
  description = "Authorization of the function URL: \"AWS_IAM\" (signed requests) or \"NONE\" (public)."
  type        = string
  default     = "AWS_IAM"

  validation {
    condition     = contains(["AWS_IAM", "NONE"], var.function_url_authorization_type)
    error_message = "The function_url_authorization_type must be \"AWS_IAM\" or \"NONE\"."
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
