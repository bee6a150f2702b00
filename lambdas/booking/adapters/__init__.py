"""AWS details live here: DynamoDB, Cognito, SES, EventBridge Scheduler."""
