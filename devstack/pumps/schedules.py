"""Due schedules to their targets: one-time ``at(…)`` schedules whose time has come, in
their time zone, fired at their target and then deleted as
``ActionAfterCompletion=DELETE`` does (``SchedulePump`` on the wall clock,
``fire_due_schedules`` for ``bookingctl local tick``)."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from devstack.functions.definitions import function_name_of
from devstack.functions.runtime import Invoker
from devstack.pumps.polling import PollingThread

AT_EXPRESSION = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")


@dataclass(frozen=True)
class FiredSchedule:
    group: str
    name: str
    due: datetime
    target: str
    outcome: str  # "invoked", "sent", "failed: …"
    deleted: bool


def due_time(expression: str, time_zone: str | None) -> datetime | None:
    """The instant of a one-time ``at(yyyy-mm-ddThh:mm:ss)`` schedule in its zone;
    None for ``rate``/``cron`` schedules (the program creates none)."""
    found = AT_EXPRESSION.match(expression.strip())
    if not found:
        return None
    local = datetime.fromisoformat(found.group(1))
    return local.replace(tzinfo=ZoneInfo(time_zone or "UTC"))


def fire_due_schedules(
    scheduler: Any,
    invoker: Invoker,
    now: datetime,
    *,
    sqs: Any = None,
    already_fired: set[str] | None = None,
) -> list[FiredSchedule]:
    """Fire every enabled one-time schedule due at ``now`` (aware), in every group.

    A Lambda target gets the schedule's ``Input`` as its event; an SQS target gets it as
    a message. A failed target goes to the schedule's dead-letter queue when it has
    one. Schedules with ``ActionAfterCompletion=DELETE`` are then deleted; others are
    remembered in ``already_fired`` so they fire once, as AWS's do.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    fired_keys = already_fired if already_fired is not None else set()
    fired: list[FiredSchedule] = []
    for group in _schedule_groups(scheduler):
        for summary in _schedules_in(scheduler, group):
            schedule = _read(scheduler, group, summary["Name"])
            if schedule is None:
                continue  # deleted since it was listed (a cancelled booking's reminder)
            key = f"{group}/{schedule['Name']}/{schedule['ScheduleExpression']}"
            due = due_time(schedule["ScheduleExpression"], schedule.get("ScheduleExpressionTimezone"))
            if due is None or due > now or schedule.get("State", "ENABLED") != "ENABLED" or key in fired_keys:
                continue
            outcome = _deliver_schedule(schedule, invoker, sqs)
            deleted = schedule.get("ActionAfterCompletion") == "DELETE"
            if deleted:
                _delete(scheduler, group, schedule["Name"])
            else:
                fired_keys.add(key)
            fired.append(
                FiredSchedule(group, schedule["Name"], due, schedule["Target"]["Arn"], outcome, deleted)
            )
    return fired


def _read(scheduler: Any, group: str, name: str) -> dict[str, Any] | None:
    """The schedule, or None when it no longer exists."""
    try:
        schedule: dict[str, Any] = scheduler.get_schedule(GroupName=group, Name=name)
    except scheduler.exceptions.ResourceNotFoundException:
        return None
    return schedule


def _delete(scheduler: Any, group: str, name: str) -> None:
    """Delete a fired schedule; one its target deleted meanwhile is already gone."""
    with contextlib.suppress(scheduler.exceptions.ResourceNotFoundException):
        scheduler.delete_schedule(GroupName=group, Name=name)


def _schedule_groups(scheduler: Any) -> list[str]:
    groups = []
    for page in scheduler.get_paginator("list_schedule_groups").paginate():
        groups += [group["Name"] for group in page.get("ScheduleGroups", [])]
    return groups or ["default"]


def _schedules_in(scheduler: Any, group: str) -> Iterable[dict[str, Any]]:
    for page in scheduler.get_paginator("list_schedules").paginate(GroupName=group):
        yield from page.get("Schedules", [])


def _deliver_schedule(schedule: dict[str, Any], invoker: Invoker, sqs: Any) -> str:
    target = schedule["Target"]
    arn: str = target["Arn"]
    payload = target.get("Input") or "{}"
    try:
        if ":lambda:" in arn:
            event = json.loads(payload)
            invoker.invoke(function_name_of(arn), event if isinstance(event, dict) else {"input": event})
            return "invoked"
        if ":sqs:" in arn and sqs is not None:
            queue_url = sqs.get_queue_url(QueueName=arn.rsplit(":", 1)[1])["QueueUrl"]
            sqs.send_message(QueueUrl=queue_url, MessageBody=payload)
            return "sent"
        return f"failed: target {arn} is not emulated"
    except Exception as error:  # the target failed: dead-letter it as Scheduler would
        dead_letter = (target.get("DeadLetterConfig") or {}).get("Arn")
        if dead_letter and sqs is not None:
            queue_url = sqs.get_queue_url(QueueName=dead_letter.rsplit(":", 1)[1])["QueueUrl"]
            sqs.send_message(QueueUrl=queue_url, MessageBody=payload)
        return f"failed: {error}"


@dataclass
class SchedulePump:
    """Fires due schedules at the wall-clock time, every ``interval`` seconds (AWS's
    own precision is about a minute)."""

    scheduler: Any
    invoker: Invoker
    sqs: Any = None
    interval: float = 15.0
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    fired: list[FiredSchedule] = field(default_factory=list)
    _already_fired: set[str] = field(default_factory=set)
    _poller: PollingThread | None = None

    def poll_once(self) -> list[FiredSchedule]:
        fired = fire_due_schedules(
            self.scheduler, self.invoker, self.clock(), sqs=self.sqs, already_fired=self._already_fired
        )
        self.fired += fired
        return fired

    def start(self) -> SchedulePump:
        self._poller = PollingThread("schedule-pump", self.poll_once, self.interval).start()
        return self

    def stop(self) -> None:
        if self._poller is not None:
            self._poller.stop()
            self._poller = None
