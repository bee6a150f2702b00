"""The stack's dashboard and alarms, all notifying one SNS topic (ARCHITECTURE.md)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

PERIOD_SECONDS = 300
# SES reviews accounts above these rates; alarm well before.
SES_BOUNCE_RATE = 0.05
SES_COMPLAINT_RATE = 0.001
STREAM_ITERATOR_AGE_MS = 5 * 60 * 1000
# Share of the account's daily SES quota used before the alarm fires (the quota itself is
# read from SES every hour by the notifications function: see ``SendQuotaMetric``).
SES_SEND_QUOTA_PERCENT = 80.0


@dataclass(frozen=True)
class SendQuotaMetric:
    """Where the function reading the quota publishes its metric (Powertools EMF)."""

    namespace: str
    metric_name: str
    service: str  # Powertools' ``service`` dimension


@dataclass(frozen=True)
class ObservabilityArgs:
    name_prefix: str
    region: str
    api_id: pulumi.Input[str]
    stage_name: pulumi.Input[str]
    table_name: pulumi.Input[str]
    function_names: Mapping[str, pulumi.Input[str]]  # key -> deployed function name
    dead_letter_queues: Mapping[str, pulumi.Input[str]]  # key -> queue name
    stream_consumers: Mapping[str, pulumi.Input[str]]  # key -> function name reading the stream
    lambda_error_rate_percent: float
    api_5xx_rate_percent: float
    alarm_email: pulumi.Input[str] | None = None
    send_quota: SendQuotaMetric | None = None


def _metric(
    query_id: str, namespace: str, metric: str, dimensions: Mapping[str, pulumi.Input[str]], stat: str = "Sum"
) -> aws.cloudwatch.MetricAlarmMetricQueryArgs:
    return aws.cloudwatch.MetricAlarmMetricQueryArgs(
        id=query_id,
        return_data=False,
        metric=aws.cloudwatch.MetricAlarmMetricQueryMetricArgs(
            namespace=namespace,
            metric_name=metric,
            dimensions=dict(dimensions),
            stat=stat,
            period=PERIOD_SECONDS,
        ),
    )


def _rate(numerator: str, denominator: str, label: str) -> aws.cloudwatch.MetricAlarmMetricQueryArgs:
    return aws.cloudwatch.MetricAlarmMetricQueryArgs(
        id="rate",
        label=label,
        return_data=True,
        expression=f"IF({denominator} > 0, 100 * {numerator} / {denominator}, 0)",
    )


class Observability(pulumi.ComponentResource):
    alarm_topic_arn: pulumi.Output[str]
    dashboard_name: pulumi.Output[str]
    dashboard_url: pulumi.Output[str]

    def __init__(
        self, name: str, args: ObservabilityArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("booking:observability:Observability", name, None, opts)
        self._name = name
        self._child = pulumi.ResourceOptions(parent=self)
        self.topic = aws.sns.Topic(f"{name}-alarms", name=f"{args.name_prefix}-alarms", opts=self._child)
        if args.alarm_email is not None:
            self.subscription = aws.sns.TopicSubscription(
                f"{name}-alarms-email",
                topic=self.topic.arn,
                protocol="email",
                endpoint=args.alarm_email,
                opts=self._child,
            )
        self.alarms: dict[str, aws.cloudwatch.MetricAlarm] = {}
        for key, function_name in args.function_names.items():
            self._alarm(
                f"{key}-errors",
                f"{args.name_prefix}-{key}-error-rate",
                f"Lambda {key}: more than {args.lambda_error_rate_percent}% of invocations fail",
                threshold=args.lambda_error_rate_percent,
                metric_queries=[
                    _metric("errors", "AWS/Lambda", "Errors", {"FunctionName": function_name}),
                    _metric("invocations", "AWS/Lambda", "Invocations", {"FunctionName": function_name}),
                    _rate("errors", "invocations", "error rate (%)"),
                ],
            )
            self._alarm(
                f"{key}-throttles",
                f"{args.name_prefix}-{key}-throttles",
                f"Lambda {key} is throttled",
                threshold=0,
                namespace="AWS/Lambda",
                metric_name="Throttles",
                dimensions={"FunctionName": function_name},
                statistic="Sum",
            )
        api_dimensions = {"ApiId": args.api_id, "Stage": args.stage_name}
        self._alarm(
            "api-5xx",
            f"{args.name_prefix}-api-5xx-rate",
            f"HTTP API: more than {args.api_5xx_rate_percent}% of requests answer 5xx",
            threshold=args.api_5xx_rate_percent,
            metric_queries=[
                _metric("errors", "AWS/ApiGateway", "5xx", api_dimensions),
                _metric("requests", "AWS/ApiGateway", "Count", api_dimensions),
                _rate("errors", "requests", "5xx rate (%)"),
            ],
        )
        self._alarm(
            "table-throttles",
            f"{args.name_prefix}-table-throttles",
            "DynamoDB throttles reads or writes",
            threshold=0,
            metric_queries=[
                _metric("reads", "AWS/DynamoDB", "ReadThrottleEvents", {"TableName": args.table_name}),
                _metric("writes", "AWS/DynamoDB", "WriteThrottleEvents", {"TableName": args.table_name}),
                aws.cloudwatch.MetricAlarmMetricQueryArgs(
                    id="throttles", expression="reads + writes", label="throttle events", return_data=True
                ),
            ],
        )
        self._alarm(
            "ses-bounces",
            f"{args.name_prefix}-ses-bounce-rate",
            "SES bounce rate near the review threshold",
            threshold=SES_BOUNCE_RATE,
            namespace="AWS/SES",
            metric_name="Reputation.BounceRate",
            statistic="Maximum",
        )
        self._alarm(
            "ses-complaints",
            f"{args.name_prefix}-ses-complaint-rate",
            "SES complaint rate near the review threshold",
            threshold=SES_COMPLAINT_RATE,
            namespace="AWS/SES",
            metric_name="Reputation.ComplaintRate",
            statistic="Maximum",
        )
        if args.send_quota is not None:
            self._alarm(
                "ses-send-quota",
                f"{args.name_prefix}-ses-send-quota",
                f"SES: more than {SES_SEND_QUOTA_PERCENT:g}% of the account's daily sending quota used",
                threshold=SES_SEND_QUOTA_PERCENT,
                namespace=args.send_quota.namespace,
                metric_name=args.send_quota.metric_name,
                dimensions={"service": args.send_quota.service},
                statistic="Maximum",
            )
        for key, queue_name in args.dead_letter_queues.items():
            self._alarm(
                f"{key}-dlq",
                f"{args.name_prefix}-{key}-dlq-not-empty",
                f"Events {key} could not process are waiting in its dead-letter queue",
                threshold=0,
                namespace="AWS/SQS",
                metric_name="ApproximateNumberOfMessagesVisible",
                dimensions={"QueueName": queue_name},
                statistic="Maximum",
            )
        for key, function_name in args.stream_consumers.items():
            self._alarm(
                f"{key}-iterator-age",
                f"{args.name_prefix}-{key}-stream-iterator-age",
                f"{key} falls behind the table stream",
                threshold=STREAM_ITERATOR_AGE_MS,
                namespace="AWS/Lambda",
                metric_name="IteratorAge",
                dimensions={"FunctionName": function_name},
                statistic="Maximum",
            )
        self.dashboard = aws.cloudwatch.Dashboard(
            f"{name}-dashboard",
            dashboard_name=args.name_prefix,
            dashboard_body=pulumi.Output.all(
                api_id=args.api_id,
                stage=args.stage_name,
                table=args.table_name,
                functions=dict(args.function_names),
                queues=dict(args.dead_letter_queues),
                consumers=dict(args.stream_consumers),
            ).apply(lambda values: json.dumps(_dashboard(args.region, values), sort_keys=True)),
            opts=self._child,
        )
        self.alarm_topic_arn = self.topic.arn
        self.dashboard_name = self.dashboard.dashboard_name
        self.dashboard_url = self.dashboard.dashboard_name.apply(
            lambda dashboard: (
                f"https://{args.region}.console.aws.amazon.com/cloudwatch/home"
                f"?region={args.region}#dashboards:name={dashboard}"
            )
        )
        self.register_outputs(
            {
                "alarmTopicArn": self.alarm_topic_arn,
                "dashboardName": self.dashboard_name,
                "dashboardUrl": self.dashboard_url,
            }
        )

    def _alarm(self, key: str, alarm_name: str, description: str, threshold: float, **metric: Any) -> None:
        self.alarms[key] = aws.cloudwatch.MetricAlarm(
            f"{self._name}-{key}",
            name=alarm_name,
            alarm_description=description,
            comparison_operator="GreaterThanThreshold",
            threshold=threshold,
            evaluation_periods=1,
            datapoints_to_alarm=1,
            period=None if "metric_queries" in metric else PERIOD_SECONDS,
            treat_missing_data="notBreaching",
            alarm_actions=[self.topic.arn],
            ok_actions=[self.topic.arn],
            opts=self._child,
            **metric,
        )


def _widget(title: str, metrics: list[list[Any]], region: str, stat: str = "Sum") -> dict[str, Any]:
    return {
        "type": "metric",
        "width": 12,
        "height": 6,
        "properties": {"title": title, "metrics": metrics, "region": region, "stat": stat, "period": 300},
    }


def _dashboard(region: str, values: dict[str, Any]) -> dict[str, Any]:
    api = ["ApiId", values["api_id"], "Stage", values["stage"]]
    functions: dict[str, str] = values["functions"]
    widgets = [
        _widget(
            "API latency (ms)",
            [
                ["AWS/ApiGateway", "Latency", *api, {"stat": "p50"}],
                ["AWS/ApiGateway", "Latency", *api, {"stat": "p90"}],
                ["AWS/ApiGateway", "Latency", *api, {"stat": "p99"}],
            ],
            region,
            stat="p50",
        ),
        _widget("API 4xx / 5xx", [["AWS/ApiGateway", "4xx", *api], ["AWS/ApiGateway", "5xx", *api]], region),
        _widget(
            "Lambda errors",
            [["AWS/Lambda", "Errors", "FunctionName", name] for name in functions.values()],
            region,
        ),
        _widget(
            "Lambda duration p90 (ms)",
            [["AWS/Lambda", "Duration", "FunctionName", name] for name in functions.values()],
            region,
            stat="p90",
        ),
        _widget(
            "Lambda throttles",
            [["AWS/Lambda", "Throttles", "FunctionName", name] for name in functions.values()],
            region,
        ),
        _widget(
            "DynamoDB throttles",
            [
                ["AWS/DynamoDB", "ReadThrottleEvents", "TableName", values["table"]],
                ["AWS/DynamoDB", "WriteThrottleEvents", "TableName", values["table"]],
            ],
            region,
        ),
        _widget(
            "SES bounce and complaint rates",
            [["AWS/SES", "Reputation.BounceRate"], ["AWS/SES", "Reputation.ComplaintRate"]],
            region,
            stat="Maximum",
        ),
        _widget(
            "Stream iterator age (ms)",
            [["AWS/Lambda", "IteratorAge", "FunctionName", name] for name in values["consumers"].values()],
            region,
            stat="Maximum",
        ),
        _widget(
            "Dead-letter queue depth",
            [
                ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", name]
                for name in values["queues"].values()
            ],
            region,
            stat="Maximum",
        ),
    ]
    return {"widgets": widgets}
