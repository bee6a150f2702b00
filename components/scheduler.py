"""The stack's EventBridge Scheduler group and the role Scheduler assumes to invoke a target."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws


@dataclass(frozen=True)
class SchedulerArgs:
    group_name: str
    role_name: str
    account_id: pulumi.Input[str]


class Scheduler(pulumi.ComponentResource):
    group_name: pulumi.Output[str]
    group_arn: pulumi.Output[str]
    role_arn: pulumi.Output[str]

    def __init__(self, name: str, args: SchedulerArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("booking:scheduling:Scheduler", name, None, opts)
        self._name = name
        child = pulumi.ResourceOptions(parent=self)
        self.group = aws.scheduler.ScheduleGroup(f"{name}-group", name=args.group_name, opts=child)
        # Only this account's schedule group may use the role (confused deputy).
        self.role = aws.iam.Role(
            f"{name}-role",
            name=args.role_name,
            description="Assumed by EventBridge Scheduler to invoke the notifications function",
            assume_role_policy=pulumi.Output.all(args.account_id, self.group.arn).apply(
                lambda values: json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"Service": "scheduler.amazonaws.com"},
                                "Action": "sts:AssumeRole",
                                "Condition": {
                                    "StringEquals": {"aws:SourceAccount": values[0]},
                                    "ArnLike": {"aws:SourceArn": values[1]},
                                },
                            }
                        ],
                    }
                )
            ),
            opts=child,
        )
        self.group_name = self.group.name
        self.group_arn = self.group.arn
        self.role_arn = self.role.arn
        # Schedule ARNs are ``…:schedule/<group>/<name>``; the group's is ``…:schedule-group/<group>``.
        self.schedules_arn = self.group.arn.apply(
            lambda arn: arn.replace(":schedule-group/", ":schedule/", 1) + "/*"
        )
        self.register_outputs(
            {"groupName": self.group_name, "groupArn": self.group_arn, "roleArn": self.role_arn}
        )

    def allow_invoking(self, function_arn: pulumi.Input[str]) -> aws.iam.RolePolicy:
        """Let the role invoke one function (created after it: the function reads the role ARN)."""
        return aws.iam.RolePolicy(
            f"{self._name}-invoke-target",
            role=self.role.id,
            policy=pulumi.Output.from_input(function_arn).apply(
                lambda arn: json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": arn}
                        ],
                    }
                )
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def every(
        self, key: str, expression: str, target_arn: pulumi.Input[str], payload: str
    ) -> aws.scheduler.Schedule:
        """A recurring schedule in the group that invokes ``target_arn`` with ``payload``
        (the role must be allowed to invoke it: ``allow_invoking``)."""
        return aws.scheduler.Schedule(
            f"{self._name}-{key}",
            group_name=self.group.name,
            schedule_expression=expression,
            flexible_time_window=aws.scheduler.ScheduleFlexibleTimeWindowArgs(mode="OFF"),
            target=aws.scheduler.ScheduleTargetArgs(arn=target_arn, role_arn=self.role.arn, input=payload),
            opts=pulumi.ResourceOptions(parent=self),
        )
