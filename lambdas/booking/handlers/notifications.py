"""The notifications function: table stream consumer and EventBridge Scheduler target.

Four kinds of event reach it:

- DynamoDB stream batches (``{"Records": [...]}``): each booking record becomes the
  emails and reminder changes ``domain.notifications`` decides. Records are processed
  with Powertools' ``BatchProcessor``; every log line of a record carries the
  ``request_id`` of the API request that made the change (``booking.correlation``),
  the emails it sends included. A failed record is reported in
  ``batchItemFailures`` (the event source mapping must enable
  ``ReportBatchItemFailures``) and Lambda retries from it. Each record is given the
  invocation's remaining time: a delivery another invocation holds is waited for only
  while that allows, and a record is not started near the deadline
  (``domain.deliveries``).
- A fired reminder schedule (``{"kind": "reminder", "tenantId", "bookingId", "start"}``):
  the booking is read again (strongly consistent) and reminded only if still due.
- SES bounce and complaint events through the mail events topic (SNS records): the
  users with the address are marked (``domain.mail_guard``).
- The hourly quota check (``{"kind": "send-quota"}``): the share of the account's daily
  SES quota used, as a metric the quota alarm watches.

The service comes from ``booking.bootstrap`` (settings read once per container, AWS
clients created on first use).
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes import SNSEvent
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from booking import bootstrap
from booking.correlation import LOG_KEY
from booking.domain.notification_outcomes import Outcome
from booking.domain.notifications import REMINDER_EVENT_KIND, ReminderRequest
from booking.handlers.cold_start import ends_with_first_invocation
from booking.handlers.tracing import LazyTracer
from booking.settings import SEND_QUOTA_EVENT_KIND, SEND_QUOTA_METRIC, NotificationsSettings

# The service and namespace variables are part of the function's settings; these defaults
# apply only when a test or tool imports the module without the function's environment.
logger = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME", "notifications"))
tracer = LazyTracer()  # X-Ray is set up by the first invocation
metrics = Metrics(
    namespace=os.environ.get(
        "POWERTOOLS_METRICS_NAMESPACE",
        str(NotificationsSettings.model_fields["powertools_metrics_namespace"].default),
    )
)


def _count(outcome: Outcome) -> None:
    metrics.add_metric(name=outcome.value, unit=MetricUnit.Count, value=1)


def _remaining(context: LambdaContext) -> timedelta:
    return timedelta(milliseconds=context.get_remaining_time_in_millis())


@tracer.capture_method
def handle_stream_record(record: DynamoDBRecord, lambda_context: LambdaContext) -> None:
    # Stream images are read with boto3's DynamoDB types: loaded by the first record,
    # not when the handler is imported.
    from booking.adapters.stream_images import booking_from_image, is_booking_key, request_id_of

    stream = record.dynamodb
    if stream is None or not is_booking_key(stream.raw_event.get("Keys") or {}):
        return  # locks, idempotency records, catalog and user items
    new_image = stream.raw_event.get("NewImage")
    old = booking_from_image(stream.raw_event.get("OldImage"))
    new = booking_from_image(new_image)
    # The API request that made this change: every line below carries it (RUNBOOK).
    request_id = request_id_of(new_image)
    logger.remove_keys([LOG_KEY, "tenant_id", "booking_id"])  # the previous record's
    logger.append_keys(**{LOG_KEY: request_id})
    subject = new or old
    if subject is not None:
        logger.append_keys(tenant_id=subject.tenant_id, booking_id=subject.id)
    service = bootstrap.notifications(on_outcome=_count, remaining=_remaining(lambda_context))
    actions = service.booking_changed(old, new, request_id)
    logger.info(
        "Booking change handled",
        extra={
            "event_name": record.event_name.name if record.event_name else None,
            "sequence_number": stream.sequence_number,
            "actions": [type(action).__name__ for action in actions],
        },
    )


@tracer.capture_method
def handle_reminder(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = ReminderRequest.model_validate(event)
    logger.append_keys(tenant_id=request.tenant_id, booking_id=request.booking_id)
    service = bootstrap.notifications(on_outcome=_count, remaining=_remaining(context))
    sent = service.reminder_fired(request)
    return {"kind": REMINDER_EVENT_KIND, "bookingId": request.booking_id, "sent": sent}


@tracer.capture_method
def handle_mail_events(event: dict[str, Any]) -> dict[str, Any]:
    """SES bounce and complaint events, through the mail events topic (``domain.mail_guard``).
    A failure raises: Lambda retries the asynchronous invocation, then dead-letters it."""
    from booking.domain.mail_guard import MailEvent

    service = bootstrap.mail_events()
    marked = 0
    for record in SNSEvent(event).records:
        mail_event = MailEvent.model_validate_json(record.sns.message)
        logger.info(
            "Mail event",
            extra={
                "event_type": mail_event.event_type,
                "message_id": mail_event.mail.message_id,
                "tenant_id": mail_event.tenant_id,
            },
        )
        marked += len(service.handle(mail_event))
    metrics.add_metric(name="EmailAddressesMarked", unit=MetricUnit.Count, value=marked)
    return {"kind": "mail-events", "marked": marked}


@tracer.capture_method
def handle_send_quota() -> dict[str, Any]:
    """Publish how much of the account's daily SES quota is used (the alarm's metric)."""
    ports = bootstrap.adapters("notifications")
    quota = ports.sending_account.send_quota(ports.clock.now())
    metrics.add_metric(name=SEND_QUOTA_METRIC, unit=MetricUnit.Percent, value=quota.used_percent)
    metrics.add_metric(name="SesSentLast24Hours", unit=MetricUnit.Count, value=quota.sent_last_24_hours)
    metrics.add_metric(name="SesMax24HourSend", unit=MetricUnit.Count, value=quota.max_24_hour_send)
    logger.info(
        "SES send quota",
        extra={"used_percent": quota.used_percent, "max_24_hour_send": quota.max_24_hour_send},
    )
    return {"kind": SEND_QUOTA_EVENT_KIND, "usedPercent": quota.used_percent}


def _is_sns(event: dict[str, Any]) -> bool:
    records = event.get("Records") or []
    return bool(records) and records[0].get("EventSource") == "aws:sns"


@ends_with_first_invocation
@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    bootstrap.invoked_as(context.invoked_function_arn)
    if event.get("kind") == REMINDER_EVENT_KIND:
        return handle_reminder(event, context)
    if event.get("kind") == SEND_QUOTA_EVENT_KIND:
        return handle_send_quota()
    if _is_sns(event):
        return handle_mail_events(event)
    # A processor per invocation: it holds the batch's state, and the devstack may run
    # invocations of one function concurrently in one process.
    processor = BatchProcessor(event_type=EventType.DynamoDBStreams)
    return dict(
        process_partial_response(
            event=event, record_handler=handle_stream_record, processor=processor, context=context
        )
    )
