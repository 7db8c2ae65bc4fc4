variable "name" {
  description = "Name of the state machine and of its IAM role (<name>-sfn)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,60}$", var.name))
    error_message = "The name must be 1 to 60 letters, digits, hyphens or underscores (the role adds -sfn)."
  }
}

variable "function_arn" {
  description = "ARN of the jobmatch function to invoke for each batch, qualified with its alias (module lambda's alias_arn), so that a batch runs the code the alias serves."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$", var.function_arn))
    error_message = "The function_arn must be a qualified Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>:<alias>)."
  }
}

variable "function_role_name" {
  description = "Name of the function's execution role (module lambda's role_name): the module grants it read on the resumes and write on the results."
  type        = string
}

variable "function_timeout" {
  description = "Timeout of the function in seconds; each batch must fit in it, and, with EXPRESS children, in 300 s."
  type        = number

  validation {
    condition     = var.function_timeout >= 1 && var.function_timeout <= 900
    error_message = "The function_timeout must be between 1 and 900 seconds."
  }
}

variable "input_bucket" {
  description = "Bucket that holds the resumes, one object per resume (UTF-8 text)."
  type        = string
}

variable "input_prefix" {
  description = "Key prefix of the resumes: the map lists every object under it. Ends in a slash."
  type        = string
  default     = "resumes/"

  validation {
    condition     = can(regex("^([^*]+/)?$", var.input_prefix))
    error_message = "The input_prefix must be empty or end in a slash, without wildcards."
  }
}

variable "results_bucket" {
  description = "Bucket for the results: each execution writes <results_prefix><execution name>/batches/*.jsonl (one JSON line per resume) and the map's ResultWriter its summary of every batch under <results_prefix>summaries/."
  type        = string
}

variable "results_prefix" {
  description = "Key prefix of the results. Ends in a slash."
  type        = string
  default     = "results/"

  validation {
    condition     = can(regex("^([^*]+/)?$", var.results_prefix))
    error_message = "The results_prefix must be empty or end in a slash, without wildcards."
  }
}

variable "max_items_per_batch" {
  description = "Resumes per batch (the ItemBatcher's MaxItemsPerBatch); at most the function's limit, lambda.DefaultMaxBatchItems (500). Size it so that a batch fits the function's timeout: see the capacity note in README.md."
  type        = number
  default     = 100

  validation {
    condition     = var.max_items_per_batch >= 1 && var.max_items_per_batch <= 500
    error_message = "The max_items_per_batch must be between 1 and 500."
  }
}

variable "max_concurrency" {
  description = "Batches running at once (the map's MaxConcurrency), so functions at once: Distributed Map runs up to 10,000; keep it within the account's Lambda concurrency and the function's reserved concurrency."
  type        = number
  default     = 100

  validation {
    condition     = var.max_concurrency >= 1 && var.max_concurrency <= 10000
    error_message = "The max_concurrency must be between 1 and 10000."
  }
}

variable "tolerated_failure_percentage" {
  description = "Share of failed batches (after retries) up to which the execution still succeeds (the map's ToleratedFailurePercentage). A resume that cannot be read or scored fails alone, in its JSON line, and never fails its batch."
  type        = number
  default     = 5

  validation {
    condition     = var.tolerated_failure_percentage >= 0 && var.tolerated_failure_percentage <= 100
    error_message = "The tolerated_failure_percentage must be between 0 and 100."
  }
}

variable "execution_type" {
  description = "Type of the child workflows: EXPRESS (cheaper, at most 5 minutes each) or STANDARD."
  type        = string
  default     = "EXPRESS"

  validation {
    condition     = contains(["EXPRESS", "STANDARD"], var.execution_type)
    error_message = "The execution_type must be EXPRESS or STANDARD."
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
