"""EventBridge Scheduler: the stack's schedule group (reminders are created at run time
by the notifications function; ``devstack.pumps`` fires them when due)."""

from __future__ import annotations

from typing import Any

from devstack.adapters.base import Adapter, Created, EmulatorContext, physical_name, state, tag_list
from engine.inventory import ResourceRecord


def create_schedule_group(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    name = physical_name(record)
    request: dict[str, Any] = {"Name": name}
    if inputs.get("tags"):
        request["Tags"] = tag_list(inputs["tags"])
    arn = ctx.client("scheduler").create_schedule_group(**request)["ScheduleGroupArn"]
    return name, state(record, name=name, arn=arn, state="ACTIVE")


def create_schedule(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    name = physical_name(record)
    target = inputs["target"]
    request: dict[str, Any] = {
        "Name": name,
        "ScheduleExpression": inputs["scheduleExpression"],
        "FlexibleTimeWindow": {
            "Mode": inputs.get("flexibleTimeWindow", {}).get("mode", "OFF"),
        },
        "Target": {"Arn": target["arn"], "RoleArn": target["roleArn"]},
    }
    if inputs.get("groupName"):
        request["GroupName"] = inputs["groupName"]
    if inputs.get("scheduleExpressionTimezone"):
        request["ScheduleExpressionTimezone"] = inputs["scheduleExpressionTimezone"]
    if target.get("input"):
        request["Target"]["Input"] = target["input"]
    arn = ctx.client("scheduler").create_schedule(**request)["ScheduleArn"]
    return f"{inputs.get('groupName', 'default')}/{name}", state(record, name=name, arn=arn)


ADAPTERS: dict[str, Adapter] = {
    "aws:scheduler/scheduleGroup:ScheduleGroup": create_schedule_group,
    "aws:scheduler/schedule:Schedule": create_schedule,
}
