"""The Pulumi type tokens of the resources the rules read: one home for each, as several
rule modules check the same kind of resource."""

# API Gateway (HTTP APIs)
API = "aws:apigatewayv2/api:Api"
INTEGRATION = "aws:apigatewayv2/integration:Integration"
STAGE = "aws:apigatewayv2/stage:Stage"

# CloudFront and WAF
DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
ORIGIN_ACCESS_CONTROL = "aws:cloudfront/originAccessControl:OriginAccessControl"
HEADERS_POLICY = "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy"
WEB_ACL = "aws:wafv2/webAcl:WebAcl"

# CloudWatch
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"

# Cognito
USER_POOL = "aws:cognito/userPool:UserPool"
USER_POOL_CLIENT = "aws:cognito/userPoolClient:UserPoolClient"

# DynamoDB and S3
TABLE = "aws:dynamodb/table:Table"
PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"

# Lambda and Secrets Manager
FUNCTION = "aws:lambda/function:Function"
SECRET = "aws:secretsmanager/secret:Secret"  # noqa: S105 (a type token)
