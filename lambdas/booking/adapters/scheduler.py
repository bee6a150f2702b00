"""Reminders as EventBridge Scheduler one-time schedules.

One schedule per booking, with a name derived from the tenant and booking ids, so a
reschedule replaces it and a cancellation deletes it without any lookup. The
expression is ``at(local wall time)`` with the tenant's time zone, which is how an
operator reads it in the console; a wall time that occurs twice in that zone (a DST
fall-back) is ambiguous, so those few are written in UTC instead.

The function holds only ``scheduler:CreateSchedule`` and ``scheduler:DeleteSchedule``
(plus ``iam:PassRole`` on the scheduler role), so "replace" is create, and on
``ConflictException`` delete and create again. Schedules delete themselves after they
fire (``ActionAfterCompletion=DELETE``).

The target is this very function. Its ARN comes from the Lambda context
(``invoked_function_arn``): an environment variable holding the function's own ARN
would make the function depend on itself in the Pulumi program.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import boto3
from aws_lambda_powertools import Logger
from botocore.exceptions import ClientError

from booking.domain.notifications import ReminderRequest

if TYPE_CHECKING:
    from mypy_boto3_scheduler.client import EventBridgeSchedulerClient
else:
    EventBridgeSchedulerClient = Any

logger = Logger(child=True)

SCHEDULE_NAME_MAX = 64
SCHEDULE_PREFIX = "reminder"


def schedule_name(tenant_id: str, booking_id: str) -> str:
    """Deterministic and unique per booking, within Scheduler's 64 ``[0-9A-Za-z-_.]``.

    Ids never contain ``.`` (see ``models.Identifier``), so ``reminder.<t>.<b>`` cannot
    collide between different pairs; pairs too long for it use a digest instead (one dot)."""
    readable = f"{SCHEDULE_PREFIX}.{tenant_id}.{booking_id}"
    if len(readable) <= SCHEDULE_NAME_MAX:
        return readable
    digest = hashlib.sha256(f"{tenant_id}\x00{booking_id}".encode()).hexdigest()
    return f"{SCHEDULE_PREFIX}.{digest[: SCHEDULE_NAME_MAX - len(SCHEDULE_PREFIX) - 1]}"


def at_expression(at: datetime, time_zone: str) -> tuple[str, str]:
    """``(ScheduleExpression, ScheduleExpressionTimezone)`` for a one-time schedule."""
    zone = ZoneInfo(time_zone)
    local = at.astimezone(zone).replace(tzinfo=None)
    earlier = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
    later = local.replace(tzinfo=zone, fold=1).astimezone(UTC)
    if earlier != later:  # the wall time happens twice in this zone: say it in UTC
        return f"at({at.astimezone(UTC):%Y-%m-%dT%H:%M:%S})", "UTC"
    return f"at({local:%Y-%m-%dT%H:%M:%S})", time_zone


def _default_client() -> EventBridgeSchedulerClient:
    return boto3.client("scheduler")


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


class EventBridgeReminderScheduler:
    """The ``ReminderScheduler`` port on EventBridge Scheduler."""

    def __init__(
        self,
        group_name: str,
        role_arn: str,
        target_arn: str | Callable[[], str],
        client: EventBridgeSchedulerClient | None = None,
        client_factory: Callable[[], EventBridgeSchedulerClient] = _default_client,
    ) -> None:
        self.group_name = group_name
        self.role_arn = role_arn
        # A callable lets the handler hand over "the ARN of the current invocation".
        self._target_arn = target_arn
        self._client = client
        self._client_factory = client_factory
        self._lock = threading.Lock()

    @property
    def client(self) -> EventBridgeSchedulerClient:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._client_factory()
        return self._client

    @property
    def target_arn(self) -> str:
        return self._target_arn() if callable(self._target_arn) else self._target_arn

    def schedule(self, request: ReminderRequest, at: datetime, time_zone: str) -> None:
        name = schedule_name(request.tenant_id, request.booking_id)
        expression, expression_zone = at_expression(at, time_zone)
        arguments: dict[str, Any] = {
            "Name": name,
            "GroupName": self.group_name,
            "ScheduleExpression": expression,
            "ScheduleExpressionTimezone": expression_zone,
            "FlexibleTimeWindow": {"Mode": "OFF"},
            "ActionAfterCompletion": "DELETE",
            "State": "ENABLED",
            "Description": f"Reminder for booking {request.booking_id} of tenant {request.tenant_id}",
            "Target": {
                "Arn": self.target_arn,
                "RoleArn": self.role_arn,
                "Input": request.model_dump_json(by_alias=True),
            },
        }
        try:
            self.client.create_schedule(**arguments)
        except ClientError as error:
            if _error_code(error) != "ConflictException":
                raise
            # The booking already has a reminder (a reschedule, or a retried record).
            self._delete(name)
            self.client.create_schedule(**arguments)
        logger.info(
            "Reminder scheduled",
            extra={"schedule_name": name, "expression": expression, "expression_time_zone": expression_zone},
        )

    def cancel(self, tenant_id: str, booking_id: str) -> None:
        self._delete(schedule_name(tenant_id, booking_id))

    def _delete(self, name: str) -> None:
        try:
            self.client.delete_schedule(Name=name, GroupName=self.group_name)
        except ClientError as error:
            if _error_code(error) != "ResourceNotFoundException":
                raise
            logger.debug("No reminder to delete", extra={"schedule_name": name})
