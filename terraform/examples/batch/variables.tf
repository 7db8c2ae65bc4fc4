variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "eu-west-1"
}

variable "architecture" {
  description = "Architecture of the image: \"arm64\" or \"x86_64\"."
  type        = string
  default     = "arm64"
}

variable "image_tag" {
  description = "Tag of the image pushed to the created repository."
  type        = string
}

variable "resumes_bucket" {
  description = "Existing bucket holding the resumes under resumes/."
  type        = string
}

variable "results_bucket" {
  description = "Existing bucket for the results (under results/)."
  type        = string
}

variable "max_concurrency" {
  description = "Batches, so functions, at once."
  type        = number
  default     = 100
}
