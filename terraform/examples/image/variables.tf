variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "eu-west-1"
}

variable "architecture" {
  description = "Architecture the image was built for (docker build --platform linux/arm64 or linux/amd64): \"arm64\" or \"x86_64\"."
  type        = string
  default     = "arm64"
}

variable "image_tag" {
  description = "Tag of the image pushed to the repository; with immutable tags use a new tag (e.g. the git commit) for every build."
  type        = string
}
