# tfsec:ignore:aws-ecr-repository-customer-key Images hold the public all-MiniLM-L6-v2 model and our open-source binary; AES-256 with the AWS-managed key is enough, and a customer key would cost a KMS key and key policy per stack.
resource "aws_ecr_repository" "this" {
  name                 = var.name
  image_tag_mutability = var.immutable_tags ? "IMMUTABLE" : "MUTABLE"
  force_delete         = var.force_delete

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "AES256"
  }

  tags = var.tags
}

resource "aws_ecr_lifecycle_policy" "this" {
  repository = aws_ecr_repository.this.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the last ${var.keep_last_images} images"
      selection = {
        tagStatus   = "any"
        countType   = "imageCountMoreThan"
        countNumber = var.keep_last_images
      }
      action = { type = "expire" }
    }]
  })
}

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

# Lambda fetches a function's image with the Lambda service principal, which
# the repository policy must allow; without this policy Lambda tries to add
# one itself when the function is created, and needs the deployer to have
# ecr:SetRepositoryPolicy for that.
data "aws_iam_policy_document" "lambda_pull" {
  count = length(var.lambda_function_names) > 0 ? 1 : 0

  statement {
    sid     = "LambdaPullsImage"
    effect  = "Allow"
    actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values = flatten([for name in var.lambda_function_names : [
        "arn:${data.aws_partition.current.partition}:lambda:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:function:${name}",
        "arn:${data.aws_partition.current.partition}:lambda:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:function:${name}:*",
      ]])
    }
  }
}

resource "aws_ecr_repository_policy" "lambda_pull" {
  count = length(var.lambda_function_names) > 0 ? 1 : 0

  repository = aws_ecr_repository.this.name
  policy     = data.aws_iam_policy_document.lambda_pull[0].json
}
