variable "name" {
  description = "Name of the HTTP API; also names its access log group /aws/apigateway/<name>."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,128}$", var.name))
    error_message = "The name must be 1 to 128 letters, digits, hyphens or underscores."
  }
}

variable "lambda_function_name" {
  description = "Name of the Lambda function that serves every route."
  type        = string
}

variable "lambda_alias_name" {
  description = "Alias of the function that API Gateway invokes; its permission is scoped to this alias."
  type        = string

  validation {
    condition     = var.lambda_alias_name != "$LATEST" && length(var.lambda_alias_name) > 0
    error_message = "The lambda_alias_name must name an alias, not $LATEST."
  }
}

variable "lambda_invoke_arn" {
  description = "Invoke ARN of the function's alias (integration target)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path/.+/invocations$", var.lambda_invoke_arn))
    error_message = "The lambda_invoke_arn must be a Lambda invoke ARN (arn:aws:apigateway:<region>:lambda:path/.../invocations)."
  }
}

variable "lambda_timeout" {
  description = "Timeout of the function in seconds. An HTTP API integration waits at most 30 s, so a longer timeout would only run on after the client got a 503."
  type        = number

  validation {
    condition     = var.lambda_timeout >= 1 && var.lambda_timeout <= 30
    error_message = "The lambda_timeout must be from 1 to 30 seconds: an HTTP API integration times out after 30 s."
  }
}

variable "routes" {
  description = "Route keys (\"METHOD /path\") served by the function."
  type        = list(string)
  default     = ["GET /", "POST /match", "POST /rank", "POST /keywords", "POST /text", "GET /health"]

  validation {
    condition     = length(var.routes) > 0 && alltrue([for r in var.routes : can(regex("^(ANY|GET|HEAD|OPTIONS|PATCH|POST|PUT|DELETE) /[A-Za-z0-9/_{}+.-]*$", r))])
    error_message = "Each route must be \"METHOD /path\" with METHOD one of ANY, GET, HEAD, OPTIONS, PATCH, POST, PUT, DELETE."
  }
}

variable "throttling_burst_limit" {
  description = "Burst limit (requests) of the $default stage, for every route."
  type        = number
  default     = 50

  validation {
    condition     = var.throttling_burst_limit >= 0 && floor(var.throttling_burst_limit) == var.throttling_burst_limit
    error_message = "The throttling_burst_limit must be a whole number >= 0."
  }
}

variable "throttling_rate_limit" {
  description = "Steady-state rate limit (requests per second) of the $default stage, for every route."
  type        = number
  default     = 20

  validation {
    condition     = var.throttling_rate_limit >= 0
    error_message = "The throttling_rate_limit must be >= 0."
  }
}

variable "cors_allow_origins" {
  description = "Origins allowed to call the API from a browser; empty disables CORS."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for o in var.cors_allow_origins : o == "*" || can(regex("^https?://[^/]+$", o))])
    error_message = "Each CORS origin must be \"*\" or a scheme and host such as https://example.com."
  }
}

variable "access_log_retention_in_days" {
  description = "Days to keep the API's access logs."
  type        = number
  default     = 14

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.access_log_retention_in_days)
    error_message = "The access_log_retention_in_days must be a retention period that CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, ... 3653)."
  }
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
