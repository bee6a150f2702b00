"""The SES and Scheduler adapters against moto: what AWS would receive."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from booking.adapters.ics_calendar import IcsCalendarWriter
from booking.adapters.jinja_emails import JinjaEmailRenderer
from booking.adapters.scheduler import (
    SCHEDULE_NAME_MAX,
    EventBridgeReminderScheduler,
    at_expression,
    schedule_name,
)
from booking.adapters.ses import SesMailer, parse_allowlist
from booking.domain.deliveries import PermanentDeliveryFailure
from booking.domain.models import BookingStatus
from booking.domain.notifications import EmailFacts, EmailKind, OutgoingEmail, ReminderRequest

from tests.lambdas.notifications.mail import sent_messages
from tests.lambdas.notifications.runtime import (
    CONFIGURATION_SET,
    FUNCTION_ARN,
    SCHEDULE_GROUP,
    SCHEDULER_ROLE_ARN,
    SENDER,
    Aws,
)
from tests.notification_support import (
    NOW,
    START,
    TENANT_ID,
    make_booking,
    make_patient,
    make_professional,
    make_tenant,
    make_treatment,
)


def rendered(kind: EmailKind, **changes: object) -> OutgoingEmail:
    facts = EmailFacts(
        tenant=make_tenant(),
        booking=changes.pop("booking", make_booking()),  # type: ignore[arg-type]
        patient=changes.pop("patient", make_patient()),  # type: ignore[arg-type]
        professional=make_professional(),
        treatment=make_treatment(),
    )
    return JinjaEmailRenderer(SENDER, IcsCalendarWriter()).render(kind, facts, NOW)


def mailer(allowlist: str = "") -> SesMailer:
    return SesMailer(SENDER, CONFIGURATION_SET, allowlist)


# --- SES ------------------------------------------------------------------------------


def test_a_confirmation_goes_out_as_text_html_and_a_calendar_request(aws: Aws) -> None:
    message_id = mailer().send(rendered(EmailKind.CONFIRMATION))
    assert message_id
    [(destinations, mime)] = sent_messages()
    assert "ana@example.com" in destinations
    assert mime["To"] == "ana@example.com"
    assert mime["From"] == f"Clínica Sonrisa <{SENDER}>"
    assert mime["Subject"] == "Cita confirmada: Limpieza dental, martes 1 de diciembre de 2026, 10:00"
    assert mime["X-Booking-Email-Kind"] == "confirmation"
    assert mime["X-Booking-Id"] == "b-1"
    assert mime.get_content_type() == "multipart/mixed"
    text = mime.get_body(preferencelist=("plain",))
    html = mime.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    assert "Hola Ana Pérez:" in text.get_content()
    assert "<html" in html.get_content()
    [invite] = list(mime.iter_attachments())
    assert invite.get_content_type() == "text/calendar"
    assert invite.get_param("method") == "REQUEST"
    assert invite.get_filename() == "invite.ics"
    assert "METHOD:REQUEST" in invite.get_content()
    assert "DTSTART:20261201T150000Z" in invite.get_content()
    assert invite.get_content().endswith("END:VCALENDAR\r\n")


def test_every_send_names_the_stacks_configuration_set_and_the_verified_sender(aws: Aws) -> None:
    # moto does not keep the configuration set of a send, so read the request itself.
    client = boto3.client("sesv2")
    requests: list[dict[str, Any]] = []
    client.meta.events.register(
        "provide-client-params.sesv2.SendEmail", lambda params, **_: requests.append(dict(params))
    )
    SesMailer(SENDER, CONFIGURATION_SET, client=client).send(rendered(EmailKind.CONFIRMATION))
    [request] = requests
    assert request["ConfigurationSetName"] == CONFIGURATION_SET
    assert request["FromEmailAddress"] == SENDER
    assert request["Destination"] == {"ToAddresses": ["ana@example.com"]}
    assert set(request["Content"]) == {"Raw"}


def test_a_cancellation_carries_a_calendar_cancel(aws: Aws) -> None:
    booking = make_booking(status=BookingStatus.CANCELLED, version=2)
    mailer().send(rendered(EmailKind.CANCELLATION, booking=booking))
    [(_, mime)] = sent_messages()
    [invite] = list(mime.iter_attachments())
    assert invite.get_param("method") == "CANCEL"
    assert "METHOD:CANCEL" in invite.get_content()


def test_a_reminder_is_text_and_html_without_attachment(aws: Aws) -> None:
    mailer().send(rendered(EmailKind.REMINDER))
    [(_, mime)] = sent_messages()
    assert mime.get_content_type() == "multipart/alternative"
    assert list(mime.iter_attachments()) == []


def test_outside_the_sandbox_allow_list_nothing_is_sent(aws: Aws) -> None:
    assert mailer("someone@else.example, other@else.example").send(rendered(EmailKind.CONFIRMATION)) is None
    assert sent_messages() == []


def test_inside_the_allow_list_mail_is_sent_whatever_the_case_of_the_address(aws: Aws) -> None:
    assert mailer(" ANA@example.com ,x@y.z").send(rendered(EmailKind.CONFIRMATION))
    assert len(sent_messages()) == 1


def test_the_allow_list_is_parsed_from_the_comma_separated_setting() -> None:
    assert parse_allowlist("") == frozenset()
    assert parse_allowlist(" A@x.com, ,b@Y.com ") == {"a@x.com", "b@y.com"}


def test_a_message_ses_rejects_is_a_permanent_failure_not_a_retry(aws: Aws) -> None:
    unverified = SesMailer("nobody@unverified.example", CONFIGURATION_SET)
    with pytest.raises(PermanentDeliveryFailure) as refused:
        unverified.send(rendered(EmailKind.CONFIRMATION))
    assert refused.value.code == "MessageRejected"
    assert sent_messages() == []


def test_the_client_is_created_on_first_send_not_at_construction(aws: Aws) -> None:
    created: list[str] = []

    def factory() -> Any:
        created.append("sesv2")
        return boto3.client("sesv2")

    lazy = SesMailer(SENDER, CONFIGURATION_SET, client_factory=factory)
    assert created == []
    lazy.send(rendered(EmailKind.REMINDER))
    lazy.send(rendered(EmailKind.REMINDER))
    assert created == ["sesv2"]


# --- Scheduler ------------------------------------------------------------------------


ZONE = "America/Guayaquil"
LEAD = timedelta(hours=24)


def reminders() -> EventBridgeReminderScheduler:
    return EventBridgeReminderScheduler(SCHEDULE_GROUP, SCHEDULER_ROLE_ARN, lambda: FUNCTION_ARN)


def test_a_reminder_is_a_one_time_schedule_in_the_tenants_zone_targeting_this_function(aws: Aws) -> None:
    booking = make_booking()
    reminders().schedule(ReminderRequest.for_booking(booking), START - LEAD, "America/Guayaquil")
    schedule = aws.scheduler.get_schedule(Name=schedule_name(TENANT_ID, "b-1"), GroupName=SCHEDULE_GROUP)
    assert schedule["ScheduleExpression"] == "at(2026-11-30T10:00:00)"
    assert schedule["ScheduleExpressionTimezone"] == "America/Guayaquil"
    assert schedule["ActionAfterCompletion"] == "DELETE"
    assert schedule["FlexibleTimeWindow"] == {"Mode": "OFF"}
    assert schedule["Target"]["Arn"] == FUNCTION_ARN
    assert schedule["Target"]["RoleArn"] == SCHEDULER_ROLE_ARN
    assert json.loads(schedule["Target"]["Input"]) == {
        "kind": "reminder",
        "tenantId": TENANT_ID,
        "bookingId": "b-1",
        "start": "2026-12-01T15:00:00Z",
    }


def test_scheduling_again_replaces_the_bookings_reminder(aws: Aws) -> None:
    moved = make_booking(start=START + timedelta(days=2), version=2)
    scheduler = reminders()
    scheduler.schedule(ReminderRequest.for_booking(make_booking()), START - LEAD, "America/Guayaquil")
    scheduler.schedule(ReminderRequest.for_booking(moved), moved.start - LEAD, "America/Guayaquil")
    listed = aws.scheduler.list_schedules(GroupName=SCHEDULE_GROUP)["Schedules"]
    assert len(listed) == 1
    schedule = aws.scheduler.get_schedule(Name=listed[0]["Name"], GroupName=SCHEDULE_GROUP)
    assert schedule["ScheduleExpression"] == "at(2026-12-02T10:00:00)"
    assert json.loads(schedule["Target"]["Input"])["start"] == "2026-12-03T15:00:00Z"


def test_cancel_deletes_the_reminder_and_tolerates_one_that_is_gone(aws: Aws) -> None:
    scheduler = reminders()
    scheduler.schedule(ReminderRequest.for_booking(make_booking()), START - LEAD, "UTC")
    scheduler.cancel(TENANT_ID, "b-1")
    assert aws.scheduler.list_schedules(GroupName=SCHEDULE_GROUP)["Schedules"] == []
    scheduler.cancel(TENANT_ID, "b-1")  # already gone (fired, or a retried record): fine


def test_schedule_names_are_deterministic_unique_and_within_scheduler_limits() -> None:
    assert schedule_name(TENANT_ID, "b-1") == "reminder.clinica-sonrisa.b-1"
    assert schedule_name("a-b", "c") != schedule_name("a", "b-c")
    long_tenant, long_booking = "t" * 64, "b" * 64
    long_name = schedule_name(long_tenant, long_booking)
    assert len(long_name) <= SCHEDULE_NAME_MAX
    assert long_name == schedule_name(long_tenant, long_booking)
    assert long_name != schedule_name(long_tenant, "c" * 64)


def test_an_ambiguous_wall_time_at_a_dst_fall_back_is_scheduled_in_utc() -> None:
    # 2026-11-01 01:30 happens twice in New York; the first is 05:30Z.
    ambiguous = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    assert at_expression(ambiguous, "America/New_York") == ("at(2026-11-01T05:30:00)", "UTC")
    ordinary = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    assert at_expression(ordinary, "America/New_York") == ("at(2026-11-01T07:00:00)", "America/New_York")
    summer = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert at_expression(summer, "America/New_York") == ("at(2026-07-01T08:00:00)", "America/New_York")
