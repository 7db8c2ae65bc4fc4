variable "name" {
  description = "Name of the ECR repository."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$", var.name)) && length(var.name) >= 2 && length(var.name) <= 256
    error_message = "The name must be 2 to 256 lower-case letters, digits and separators (. _ - /), as ECR requires."
  }
}

variable "immutable_tags" {
  description = "Whether image tags are immutable, so that a tag always names the same image (and the function the code it was planned with)."
  type        = bool
  default     = true
}

variable "keep_last_images" {
  description = "Number of most recent images the lifecycle policy keeps; older ones expire."
  type        = number
  default     = 10

  validation {
    condition     = var.keep_last_images >= 1 && var.keep_last_images <= 1000 && floor(var.keep_last_images) == var.keep_last_images
    error_message = "The keep_last_images must be a whole number from 1 to 1000."
  }
}

variable "force_delete" {
  description = "Whether destroying the repository also deletes the images in it."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}

variable "lambda_function_names" {
  description = "Names of the Lambda functions, in this account and region, that may pull images: the repository policy lets the Lambda service fetch them for these functions only. Empty leaves the repository without a policy."
  type        = list(string)
  default     = []
}
