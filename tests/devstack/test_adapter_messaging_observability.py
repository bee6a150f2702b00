import json

from devstack.adapters.messaging import create_queue, create_topic, create_topic_subscription
from devstack.adapters.observability import create_dashboard, create_log_group, create_metric_alarm


def test_a_queue_with_retention_and_a_redrive_target_is_created(ctx, make_record):
    _dlq_url, dlq = create_queue(
        ctx, make_record("aws:sqs/queue:Queue", "dlq", messageRetentionSeconds=1209600)
    )
    url, outputs = create_queue(
        ctx,
        make_record(
            "aws:sqs/queue:Queue",
            "work",
            visibilityTimeoutSeconds=60,
            sqsManagedSseEnabled=True,
            redrivePolicy=json.dumps({"deadLetterTargetArn": dlq["arn"], "maxReceiveCount": 3}),
        ),
    )

    attributes = ctx.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["VisibilityTimeout"] == "60"
    assert json.loads(attributes["RedrivePolicy"])["deadLetterTargetArn"] == dlq["arn"]
    assert outputs["url"] == url
    assert outputs["arn"] == attributes["QueueArn"]


def test_a_topic_and_its_email_subscription_exist(ctx, make_record):
    arn, outputs = create_topic(ctx, make_record("aws:sns/topic:Topic", "alarms", displayName="Alarms"))
    create_topic_subscription(
        ctx,
        make_record(
            "aws:sns/topicSubscription:TopicSubscription",
            "oncall",
            topic=arn,
            protocol="email",
            endpoint="oncall@clinic.test",
        ),
    )

    sns = ctx.client("sns")
    assert sns.get_topic_attributes(TopicArn=arn)["Attributes"]["DisplayName"] == "Alarms"
    [subscription] = sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
    assert subscription["Endpoint"] == "oncall@clinic.test"
    assert outputs["arn"] == arn


def test_log_group_alarm_and_dashboard_are_created_as_declared(ctx, make_record):
    name, log_group = create_log_group(
        ctx,
        make_record("aws:cloudwatch/logGroup:LogGroup", "api", name="/aws/apigateway/x", retentionInDays=30),
    )
    topic, _ = create_topic(ctx, make_record("aws:sns/topic:Topic", "alarm-topic"))
    alarm_name, alarm = create_metric_alarm(
        ctx,
        make_record(
            "aws:cloudwatch/metricAlarm:MetricAlarm",
            "lambda-errors",
            comparisonOperator="GreaterThanThreshold",
            evaluationPeriods=1,
            threshold=1,
            alarmActions=[topic],
            metricQueries=[
                {"id": "rate", "expression": "100 * errors / invocations", "returnData": True},
                {
                    "id": "errors",
                    "metric": {
                        "metricName": "Errors",
                        "namespace": "AWS/Lambda",
                        "period": 300,
                        "stat": "Sum",
                        "dimensions": {"FunctionName": "bookings"},
                    },
                },
                {
                    "id": "invocations",
                    "metric": {
                        "metricName": "Invocations",
                        "namespace": "AWS/Lambda",
                        "period": 300,
                        "stat": "Sum",
                    },
                },
            ],
        ),
    )
    dashboard, dashboard_outputs = create_dashboard(
        ctx,
        make_record(
            "aws:cloudwatch/dashboard:Dashboard",
            "ops",
            dashboardName="booking-dev",
            dashboardBody=json.dumps({"widgets": []}),
        ),
    )

    [group] = ctx.client("logs").describe_log_groups(logGroupNamePrefix=name)["logGroups"]
    assert group["retentionInDays"] == 30
    assert log_group["arn"].endswith(":log-group:/aws/apigateway/x")
    cloudwatch = ctx.client("cloudwatch")
    [described] = cloudwatch.describe_alarms(AlarmNames=[alarm_name])["MetricAlarms"]
    assert described["AlarmActions"] == [topic]
    assert {metric["Id"] for metric in described["Metrics"]} == {"rate", "errors", "invocations"}
    assert alarm["arn"] == described["AlarmArn"]
    assert json.loads(cloudwatch.get_dashboard(DashboardName=dashboard)["DashboardBody"]) == {"widgets": []}
    assert dashboard_outputs["dashboardArn"].endswith(":dashboard/booking-dev")
