locals {
  is_image = var.package_type == "Image"
}

# tfsec:ignore:aws-cloudwatch-log-group-customer-key The handler logs request metadata and errors, never resume or job text; CloudWatch Logs always encrypts with an AWS-owned key, and a customer key would add a KMS key and key policy per stack.
resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.function_name}"
  retention_in_days = var.log_retention_in_days
  tags              = var.tags
}

data "aws_iam_policy_document" "assume_role" {
  statement {
    sid     = "LambdaAssumesRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.function_name
  description        = "Execution role of the Lambda function ${var.function_name}."
  assume_role_policy = data.aws_iam_policy_document.assume_role.json
  tags               = var.tags
}

# The function only writes its own logs and, when it runs from an image,
# pulls that image. Nothing else: it calls no AWS API at run time.
data "aws_iam_policy_document" "this" {
  statement {
    sid       = "WriteOwnLogs"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"] # tfsec:ignore:aws-iam-no-policy-wildcards The wildcard stands for the log streams of this one log group, which Lambda names at run time.
  }

  dynamic "statement" {
    for_each = local.is_image ? [1] : []

    content {
      sid       = "PullOwnImage"
      effect    = "Allow"
      actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      resources = [var.ecr_repository_arn]
    }
  }

  dynamic "statement" {
    for_each = local.is_image ? [1] : []

    content {
      sid       = "GetRegistryToken"
      effect    = "Allow"
      actions   = ["ecr:GetAuthorizationToken"]
      resources = ["*"] # tfsec:ignore:aws-iam-no-policy-wildcards ecr:GetAuthorizationToken supports no resource-level permissions; "*" is the only valid resource.
    }
  }
}

resource "aws_iam_role_policy" "this" {
  name   = "least-privilege"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}

# tfsec:ignore:aws-lambda-enable-tracing Active X-Ray tracing needs xray:PutTraceSegments on "*" in the role, which this least-privilege role leaves out; latency is visible in CloudWatch metrics and API access logs.
resource "aws_lambda_function" "this" {
  function_name = var.function_name
  description   = var.description
  role          = aws_iam_role.this.arn
  package_type  = var.package_type
  architectures = [var.architecture]
  memory_size   = var.memory_size
  timeout       = var.timeout

  # Publishing a version on every change lets the alias, and with it the
  # provisioned concurrency, move to the new code.
  publish = true

  reserved_concurrent_executions = var.reserved_concurrent_executions

  runtime           = local.is_image ? null : "provided.al2023"
  handler           = local.is_image ? null : "bootstrap"
  filename          = local.is_image ? null : var.filename
  s3_bucket         = local.is_image ? null : var.s3_bucket
  s3_key            = local.is_image ? null : var.s3_key
  s3_object_version = local.is_image ? null : var.s3_object_version
  source_code_hash  = local.is_image ? null : var.source_code_hash
  image_uri         = local.is_image ? var.image_uri : null

  dynamic "environment" {
    for_each = length(var.environment) > 0 ? [var.environment] : []

    content {
      variables = environment.value
    }
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.this.name
  }

  tags = var.tags

  # The role must be able to write logs before the first invocation.
  depends_on = [aws_iam_role_policy.this]

  lifecycle {
    precondition {
      condition     = local.is_image ? var.image_uri != null && var.ecr_repository_arn != null : (var.filename != null) != (var.s3_bucket != null && var.s3_key != null)
      error_message = "Set image_uri and ecr_repository_arn for package_type Image, or exactly one of filename or s3_bucket with s3_key for package_type Zip."
    }

    precondition {
      condition     = var.reserved_concurrent_executions < 0 || var.provisioned_concurrent_executions <= var.reserved_concurrent_executions
      error_message = "The provisioned_concurrent_executions cannot exceed reserved_concurrent_executions."
    }
  }
}

resource "aws_lambda_alias" "this" {
  name             = var.alias_name
  description      = "Latest published version of ${var.function_name}."
  function_name    = aws_lambda_function.this.function_name
  function_version = aws_lambda_function.this.version
}

# Provisioned concurrency keeps initialised environments of the alias's
# version warm. It cannot be set on $LATEST, hence the alias.
resource "aws_lambda_provisioned_concurrency_config" "this" {
  count = var.provisioned_concurrent_executions > 0 ? 1 : 0

  function_name                     = aws_lambda_alias.this.function_name
  qualifier                         = aws_lambda_alias.this.name
  provisioned_concurrent_executions = var.provisioned_concurrent_executions
}

resource "aws_lambda_function_url" "this" {
  count = var.create_function_url ? 1 : 0

  function_name      = aws_lambda_alias.this.function_name
  qualifier          = aws_lambda_alias.this.name
  authorization_type = var.function_url_authorization_type
}

# A public URL also needs a resource policy that lets anyone invoke it.
resource "aws_lambda_permission" "function_url" {
  count = var.create_function_url && var.function_url_authorization_type == "NONE" ? 1 : 0

  statement_id           = "AllowPublicFunctionUrl"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_alias.this.function_name
  qualifier              = aws_lambda_alias.this.name
  principal              = "*"
  function_url_auth_type = "NONE"
}
