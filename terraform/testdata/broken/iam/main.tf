resource "aws_cloudwatch_log_group" "this" {
  name = "/aws/lambda/broken"
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

data "aws_iam_policy_document" "permissions" {
  statement {
    actions   = ["logs:*"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }

  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::bucket/model/*"]
  }

  statement {
    actions   = ["logs:PutLogEvents"]
    resources = ["*"]
  }

  statement {
    actions   = ["ecr:BatchGetImage"]
    resources = ["arn:aws:ecr:eu-west-1:123456789012:repository/jobmatch"]
  }

  statement {
    not_actions = ["iam:*"]
    resources   = ["*"]
  }
}

resource "aws_iam_role" "this" {
  name               = "broken"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role_policy" "this" {
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.permissions.json
}

resource "aws_iam_role_policy_attachment" "basic" {
  role       = aws_iam_role.this.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

data "aws_iam_policy_document" "repository" {
  statement {
    actions = ["ecr:BatchGetImage", "ecr:PutImage"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_ecr_repository_policy" "this" {
  repository = "jobmatch"
  policy     = data.aws_iam_policy_document.repository.json
}
