"""CloudWatch: log groups with retention, metric alarms (plain and metric-math) and
dashboards."""

from __future__ import annotations

from typing import Any

from devstack.adapters.base import (
    Adapter,
    Created,
    EmulatorContext,
    as_json_text,
    compact,
    physical_name,
    state,
    tag_list,
)
from engine.inventory import ResourceRecord


def create_log_group(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    name = physical_name(record, max_length=512, allowed=r"[^A-Za-z0-9_./#-]")
    logs = ctx.client("logs")
    request: dict[str, Any] = {"logGroupName": name}
    if inputs.get("kmsKeyId"):
        request["kmsKeyId"] = inputs["kmsKeyId"]
    if inputs.get("tags"):
        request["tags"] = dict(inputs["tags"])
    logs.create_log_group(**request)
    if inputs.get("retentionInDays"):
        logs.put_retention_policy(logGroupName=name, retentionInDays=int(inputs["retentionInDays"]))
    # pulumi_aws's arn has no trailing ":*" (the API's own form has it).
    return name, state(record, name=name, arn=ctx.arn("logs", f"log-group:{name}"))


def _dimensions(dimensions: dict[str, str] | None) -> list[dict[str, str]]:
    return [{"Name": key, "Value": str(value)} for key, value in (dimensions or {}).items()]


def _metric_query(query: dict[str, Any]) -> dict[str, Any]:
    converted: dict[str, Any] = compact(
        {
            "Id": query["id"],
            "Expression": query.get("expression"),
            "Label": query.get("label"),
            "ReturnData": query.get("returnData"),
            "AccountId": query.get("accountId"),
            "Period": query.get("period"),
        }
    )
    metric = query.get("metric")
    if metric:
        converted["MetricStat"] = compact(
            {
                "Metric": compact(
                    {
                        "Namespace": metric.get("namespace"),
                        "MetricName": metric["metricName"],
                        "Dimensions": _dimensions(metric.get("dimensions")),
                    }
                ),
                "Period": int(metric["period"]),
                "Stat": metric["stat"],
                "Unit": metric.get("unit"),
            }
        )
    return converted


def create_metric_alarm(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    name = physical_name(record, max_length=255, allowed=r"[^A-Za-z0-9_. -]")
    request: dict[str, Any] = compact(
        {
            "AlarmName": name,
            "AlarmDescription": inputs.get("alarmDescription"),
            "ActionsEnabled": inputs.get("actionsEnabled"),
            "AlarmActions": inputs.get("alarmActions"),
            "OKActions": inputs.get("okActions"),
            "InsufficientDataActions": inputs.get("insufficientDataActions"),
            "MetricName": inputs.get("metricName"),
            "Namespace": inputs.get("namespace"),
            "Statistic": inputs.get("statistic"),
            "ExtendedStatistic": inputs.get("extendedStatistic"),
            "Period": inputs.get("period"),
            "Unit": inputs.get("unit"),
            "EvaluationPeriods": int(inputs["evaluationPeriods"]),
            "DatapointsToAlarm": inputs.get("datapointsToAlarm"),
            "Threshold": inputs.get("threshold"),
            "ComparisonOperator": inputs["comparisonOperator"],
            "TreatMissingData": inputs.get("treatMissingData"),
            "ThresholdMetricId": inputs.get("thresholdMetricId"),
        }
    )
    if inputs.get("dimensions"):
        request["Dimensions"] = _dimensions(inputs["dimensions"])
    if inputs.get("metricQueries"):
        request["Metrics"] = [_metric_query(query) for query in inputs["metricQueries"]]
    if inputs.get("tags"):
        request["Tags"] = tag_list(inputs["tags"])
    ctx.client("cloudwatch").put_metric_alarm(**request)
    return name, state(record, name=name, arn=ctx.arn("cloudwatch", f"alarm:{name}"))


def create_dashboard(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    name = physical_name(record, "dashboardName", max_length=255)
    ctx.client("cloudwatch").put_dashboard(
        DashboardName=name, DashboardBody=as_json_text(inputs["dashboardBody"])
    )
    return name, state(
        record, dashboardName=name, dashboardArn=ctx.arn("cloudwatch", f"dashboard/{name}", region=False)
    )


ADAPTERS: dict[str, Adapter] = {
    "aws:cloudwatch/logGroup:LogGroup": create_log_group,
    "aws:cloudwatch/metricAlarm:MetricAlarm": create_metric_alarm,
    "aws:cloudwatch/dashboard:Dashboard": create_dashboard,
}
