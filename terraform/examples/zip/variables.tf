variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "eu-west-1"
}

variable "architecture" {
  description = "Architecture the zip was built for with lambda/package.sh: \"arm64\" or \"x86_64\"."
  type        = string
  default     = "arm64"
}

variable "zip_path" {
  description = "Path of the zip built by lambda/package.sh (bootstrap plus model)."
  type        = string
  default     = "../../../dist/jobmatch-arm64.zip"
}

variable "artifact_bucket" {
  description = "Existing S3 bucket to upload the zip to: with the model inside it is about 80 MB, above the 50 MB limit of direct uploads."
  type        = string
}
