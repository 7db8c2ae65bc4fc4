# Deploys jobmatch from the zip that lambda/package.sh builds:
#
#	lambda/package.sh arm64
#	terraform -chdir=terraform/examples/zip apply -var artifact_bucket=my-artifacts

locals {
  zip_hash = filebase64sha256(var.zip_path)
}

# The key changes with the content, so a new zip never overwrites the one
# that the running version was created from.
resource "aws_s3_object" "zip" {
  bucket      = var.artifact_bucket
  key         = "jobmatch/${sha256(local.zip_hash)}.zip"
  source      = var.zip_path
  source_hash = local.zip_hash
}

module "jobmatch" {
  source = "../.."

  name             = "jobmatch"
  package_type     = "Zip"
  architecture     = var.architecture
  s3_bucket        = aws_s3_object.zip.bucket
  s3_key           = aws_s3_object.zip.key
  source_code_hash = local.zip_hash
}
