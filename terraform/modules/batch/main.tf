# Batch ranking: one execution of the state machine ranks every resume under
# s3://<input_bucket>/<input_prefix> against the job of its input
# ({"job": "..."}). A Distributed Map lists the objects (ItemReader), hands
# them to children in batches (ItemBatcher), each child invokes the jobmatch
# function once with {"BatchInput": {...}, "Items": [...]}, and the function
# writes one JSON line per resume to the results bucket and returns the
# batch's counts and best resumes, which the map's ResultWriter collects as
# the execution's summary.

data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  # Built from the name, not the resource, which needs the role first.
  state_machine_arn = "arn:${data.aws_partition.current.partition}:states:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:stateMachine:${var.name}"
  execution_arns    = "arn:${data.aws_partition.current.partition}:states:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:execution:${var.name}/*"
  input_bucket_arn  = "arn:${data.aws_partition.current.partition}:s3:::${var.input_bucket}"
  results_arn       = "arn:${data.aws_partition.current.partition}:s3:::${var.results_bucket}/${var.results_prefix}*"

  definition = {
    Comment = "jobmatch: rank the resumes under s3://${var.input_bucket}/${var.input_prefix} against $.job"
    StartAt = "Rank"
    States = {
      Rank = {
        Type = "Map"
        ItemReader = {
          Resource   = "arn:aws:states:::s3:listObjectsV2"
          Parameters = { Bucket = var.input_bucket, Prefix = var.input_prefix }
        }
        ItemBatcher = {
          MaxItemsPerBatch = var.max_items_per_batch
          BatchInput = {
            "job.$"            = "$.job"
            bucket             = var.input_bucket
            results_bucket     = var.results_bucket
            "results_prefix.$" = "States.Format('${var.results_prefix}{}', $$.Execution.Name)"
          }
        }
        MaxConcurrency             = var.max_concurrency
        ToleratedFailurePercentage = var.tolerated_failure_percentage
        ItemProcessor = {
          ProcessorConfig = { Mode = "DISTRIBUTED", ExecutionType = var.execution_type }
          StartAt         = "Score"
          States = {
            Score = {
              Type           = "Task"
              Resource       = "arn:aws:states:::lambda:invoke"
              Parameters     = { FunctionName = var.function_arn, "Payload.$" = "$" }
              OutputPath     = "$.Payload"
              TimeoutSeconds = var.function_timeout + 30
              # Throttling and Lambda's own failures are retried; an error
              # of the function (bad input, results not written) after two
              # more tries counts against ToleratedFailurePercentage.
              Retry = [
                {
                  ErrorEquals     = ["Lambda.TooManyRequestsException", "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"]
                  IntervalSeconds = 2
                  MaxAttempts     = 6
                  BackoffRate     = 2
                  JitterStrategy  = "FULL"
                },
                {
                  ErrorEquals     = ["States.ALL"]
                  IntervalSeconds = 5
                  MaxAttempts     = 2
                  BackoffRate     = 2
                },
              ]
              End = true
            }
          }
        }
        ResultWriter = {
          Resource     = "arn:aws:states:::s3:putObject"
          Parameters   = { Bucket = var.results_bucket, Prefix = "${var.results_prefix}summaries" }
          WriterConfig = { OutputType = "JSONL", Transformation = "COMPACT" }
        }
        End = true
      }
    }
  }
}

# tfsec:ignore:aws-sfn-enable-logging Vended logs need logs:*Delivery on "*"; the function logs every batch and the ResultWriter keeps every child's output.
# tfsec:ignore:aws-sfn-enable-tracing X-Ray is not wired through the function either.
resource "aws_sfn_state_machine" "this" {
  name       = var.name
  role_arn   = aws_iam_role.this.arn
  type       = "STANDARD"
  definition = jsonencode(local.definition)
  tags       = var.tags

  lifecycle {
    precondition {
      condition     = var.execution_type != "EXPRESS" || var.function_timeout + 30 <= 300
      error_message = "EXPRESS children run at most 300 s: a function_timeout over 270 s needs execution_type = \"STANDARD\"."
    }
  }

  depends_on = [aws_iam_role_policy.this]
}

data "aws_iam_policy_document" "assume_role" {
  statement {
    sid     = "StatesAssumesRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["states.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = "${var.name}-sfn"
  assume_role_policy = data.aws_iam_policy_document.assume_role.json
  tags               = var.tags
}

# The state machine: invoke the function's alias, list the resumes, write
# the summary, and run its own map's children.
data "aws_iam_policy_document" "state_machine" {
  statement {
    sid       = "InvokeFunction"
    effect    = "Allow"
    actions   = ["lambda:InvokeFunction"]
    resources = [var.function_arn]
  }
  statement {
    sid       = "ListResumes"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = [local.input_bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.input_prefix}*"]
    }
  }
  statement {
    sid       = "WriteSummary"
    effect    = "Allow"
    actions   = ["s3:PutObject"]
    resources = [local.results_arn]
  }
  statement {
    sid       = "RunChildren"
    effect    = "Allow"
    actions   = ["states:StartExecution"]
    resources = [local.state_machine_arn]
  }
  statement {
    sid       = "ManageChildren"
    effect    = "Allow"
    actions   = ["states:DescribeExecution", "states:StopExecution"]
    resources = [local.execution_arns]
  }
}

resource "aws_iam_role_policy" "this" {
  name   = "${var.name}-sfn"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.state_machine.json
}

# The function: read the resumes, write the results.
data "aws_iam_policy_document" "function" {
  statement {
    sid       = "ReadResumes"
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = ["${local.input_bucket_arn}/${var.input_prefix}*"]
  }
  statement {
    sid       = "WriteResults"
    effect    = "Allow"
    actions   = ["s3:PutObject"]
    resources = [local.results_arn]
  }
}

resource "aws_iam_role_policy" "function" {
  name   = "${var.name}-batch"
  role   = var.function_role_name
  policy = data.aws_iam_policy_document.function.json
}
