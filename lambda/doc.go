// Package lambda serves the matcher as an AWS Lambda function behind an API
// Gateway HTTP API or a Lambda function URL.
package lambda
