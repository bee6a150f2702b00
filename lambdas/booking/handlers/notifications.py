"""The notifications function: table stream consumer and EventBridge Scheduler target.

Two kinds of event reach it:

- DynamoDB stream batches (``{"Records": [...]}``): each booking record becomes the
  emails and reminder changes ``domain.notifications`` decides. Records are processed
  with Powertools' ``BatchProcessor``; a failed record is reported in
  ``batchItemFailures`` (the event source mapping must enable
  ``ReportBatchItemFailures``) and Lambda retries from it.
- A fired reminder schedule (``{"kind": "reminder", "tenantId", "bookingId", "start"}``):
  the booking is read again (strongly consistent) and reminded only if still due.

Settings are read once per container with ``NotificationsSettings``; AWS clients are
created on first use.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from booking.adapters.dynamodb_bookings import DynamoBookingRepository
from booking.adapters.dynamodb_catalog import DynamoCatalogRepository
from booking.adapters.dynamodb_table import DynamoTable
from booking.adapters.dynamodb_users import DynamoUserRepository
from booking.adapters.scheduler import EventBridgeReminderScheduler
from booking.adapters.ses import SesMailer
from booking.adapters.stream_images import booking_from_image, is_booking_key
from booking.domain.notifications import REMINDER_EVENT_KIND, ReminderRequest
from booking.domain.ports import Clock
from booking.notifications.rendering import EmailRenderer
from booking.notifications.service import (
    BookingReader,
    CatalogReader,
    NotificationService,
    Outcome,
    SystemClock,
    UserReader,
)
from booking.settings import NotificationsSettings

# The service and namespace variables are part of the function's settings; these defaults
# apply only when a test or tool imports the module without the function's environment.
logger = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME", "notifications"))
tracer = Tracer()
metrics = Metrics(
    namespace=os.environ.get(
        "POWERTOOLS_METRICS_NAMESPACE",
        str(NotificationsSettings.model_fields["powertools_metrics_namespace"].default),
    )
)


@dataclass(frozen=True)
class Repositories:
    catalogs: CatalogReader
    users: UserReader
    bookings: BookingReader


class _Invocation:
    """What the current invocation knows about itself: the target of its own reminders."""

    function_arn: str = ""

    @classmethod
    def target_arn(cls) -> str:
        if not cls.function_arn:
            raise RuntimeError("the function ARN is known only inside an invocation")
        return cls.function_arn


def _count(outcome: Outcome) -> None:
    metrics.add_metric(name=outcome.value, unit=MetricUnit.Count, value=1)


def build_service(
    settings: NotificationsSettings,
    repositories: Repositories,
    mailer: SesMailer | None = None,
    scheduler: EventBridgeReminderScheduler | None = None,
    clock: Clock | None = None,
) -> NotificationService:
    """The service wired to SES and Scheduler as ``settings`` declares them."""
    return NotificationService(
        catalogs=repositories.catalogs,
        users=repositories.users,
        bookings=repositories.bookings,
        mailer=mailer
        or SesMailer(settings.sender_email, settings.ses_configuration_set, settings.email_allowlist),
        reminders=scheduler
        or EventBridgeReminderScheduler(
            group_name=settings.schedule_group_name,
            role_arn=settings.scheduler_role_arn,
            target_arn=_Invocation.target_arn,
        ),
        renderer=EmailRenderer(settings.sender_email),
        clock=clock or SystemClock(),
        reminder_lead=timedelta(hours=settings.reminder_lead_hours),
        on_outcome=_count,
    )


def default_repositories(settings: NotificationsSettings) -> Repositories:
    """The table's repositories; every read they make here is a consistent GetItem."""
    table = DynamoTable(settings.table_name)
    return Repositories(
        catalogs=DynamoCatalogRepository(table),
        users=DynamoUserRepository(table),
        bookings=DynamoBookingRepository(table),
    )


class _Runtime:
    """The container's service, built at the first invocation (cold start)."""

    service: NotificationService | None = None

    @classmethod
    def get(cls) -> NotificationService:
        if cls.service is None:
            settings = NotificationsSettings()  # values come from the environment
            cls.service = build_service(settings, default_repositories(settings))
        return cls.service


def use_service(service: NotificationService | None) -> None:
    """Install a service (tests, the devstack) or None to rebuild from the environment."""
    _Runtime.service = service


@tracer.capture_method
def handle_stream_record(record: DynamoDBRecord) -> None:
    stream = record.dynamodb
    if stream is None or not is_booking_key(stream.raw_event.get("Keys") or {}):
        return  # locks, idempotency records, catalog and user items
    old = booking_from_image(stream.raw_event.get("OldImage"))
    new = booking_from_image(stream.raw_event.get("NewImage"))
    subject = new or old
    if subject is not None:
        logger.append_keys(tenant_id=subject.tenant_id, booking_id=subject.id)
    actions = _Runtime.get().booking_changed(old, new)
    logger.info(
        "Booking change handled",
        extra={
            "event_name": record.event_name.name if record.event_name else None,
            "sequence_number": stream.sequence_number,
            "actions": [type(action).__name__ for action in actions],
        },
    )


@tracer.capture_method
def handle_reminder(event: dict[str, Any]) -> dict[str, Any]:
    request = ReminderRequest.model_validate(event)
    logger.append_keys(tenant_id=request.tenant_id, booking_id=request.booking_id)
    sent = _Runtime.get().reminder_fired(request)
    return {"kind": REMINDER_EVENT_KIND, "bookingId": request.booking_id, "sent": sent}


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    _Invocation.function_arn = context.invoked_function_arn
    if event.get("kind") == REMINDER_EVENT_KIND:
        return handle_reminder(event)
    # A processor per invocation: it holds the batch's state, and the devstack may run
    # invocations of one function concurrently in one process.
    processor = BatchProcessor(event_type=EventType.DynamoDBStreams)
    return dict(
        process_partial_response(
            event=event, record_handler=handle_stream_record, processor=processor, context=context
        )
    )
