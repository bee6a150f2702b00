"""SES guarded: bounces and complaints mark the users with the address, no more mail is
tried to them, and the share of the daily quota used is computed from what SES reports."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from booking.adapters.ics_calendar import IcsCalendarWriter
from booking.adapters.jinja_emails import JinjaEmailRenderer
from booking.domain.mail_guard import MailEvent, MailEventService, SendQuota, stronger
from booking.domain.models import EmailStatus
from booking.domain.notification_service import NotificationService
from booking.domain.notifications import Audience
from booking.domain.roles import Role

from tests.fakes import FakeUserRepository, FixedClock
from tests.notification_support import (
    DEADLINE,
    NOW,
    PATIENT_ID,
    TENANT_ID,
    FakeDeadLetters,
    FakeLedger,
    FakeMailer,
    FakeReminders,
    make_booking,
    make_patient,
    make_professional,
    seeded_repositories,
)


def ses_event(event_type: str, address: str, tenant_id: str | None = TENANT_ID, **detail: Any) -> MailEvent:
    """An SES configuration-set event as the topic delivers it (fields SES sends and we ignore included)."""
    tags = {"ses:configuration-set": ["booking-dev-mail"]}
    if tenant_id is not None:
        tags["tenant-id"] = [tenant_id]
    body: dict[str, Any] = {
        "eventType": event_type,
        "mail": {
            "timestamp": "2026-11-20T12:00:00.000Z",
            "source": "citas@clinica.example",
            "messageId": "m-1",
            "destination": [address],
            "headersTruncated": False,
            "tags": tags,
        },
    }
    if event_type == "Bounce":
        body["bounce"] = {
            "bounceType": detail.get("bounce_type", "Permanent"),
            "bounceSubType": "General",
            "bouncedRecipients": [{"emailAddress": address, "action": "failed", "status": "5.1.1"}],
            "timestamp": "2026-11-20T12:00:01.000Z",
            "feedbackId": "f-1",
        }
    if event_type == "Complaint":
        body["complaint"] = {
            "complainedRecipients": [{"emailAddress": address}],
            "complaintFeedbackType": "abuse",
            "timestamp": "2026-11-20T12:00:01.000Z",
            "feedbackId": "f-2",
        }
    return MailEvent.model_validate_json(json.dumps(body))


@pytest.fixture
def users() -> FakeUserRepository:
    repository = FakeUserRepository()
    repository.put_user(make_patient())
    repository.put_user(make_patient(id="other-tenant", tenant_id="otra-clinica"))
    return repository


def status_of(
    users: FakeUserRepository, tenant_id: str = TENANT_ID, user_id: str = PATIENT_ID
) -> EmailStatus:
    user = users.get_user(tenant_id, user_id)
    assert user is not None
    return user.email_status


def test_a_permanent_bounce_marks_the_tenants_users_with_that_address(users: FakeUserRepository) -> None:
    service = MailEventService(users, FixedClock(NOW))
    [changed] = service.handle(ses_event("Bounce", "ANA@example.com"))
    assert changed.email_status is EmailStatus.BOUNCING
    assert changed.version == 2
    assert status_of(users) is EmailStatus.BOUNCING
    assert status_of(users, "otra-clinica", "other-tenant") is EmailStatus.OK  # another tenant's user


def test_a_complaint_outranks_a_bounce_and_is_never_downgraded(users: FakeUserRepository) -> None:
    service = MailEventService(users, FixedClock(NOW))
    service.handle(ses_event("Complaint", "ana@example.com"))
    assert service.handle(ses_event("Bounce", "ana@example.com")) == []
    assert status_of(users) is EmailStatus.COMPLAINED
    assert stronger(EmailStatus.BOUNCING, EmailStatus.COMPLAINED) is EmailStatus.COMPLAINED
    assert stronger(EmailStatus.COMPLAINED, EmailStatus.BOUNCING) is EmailStatus.COMPLAINED


@pytest.mark.parametrize(
    "event",
    [
        ses_event("Bounce", "ana@example.com", bounce_type="Transient"),  # SES retried it already
        ses_event("Bounce", "ana@example.com", tenant_id=None),  # not mail this platform sent
        ses_event("Bounce", "nobody@example.com"),
        ses_event("Delivery", "ana@example.com"),
    ],
)
def test_what_does_not_mark_anyone(users: FakeUserRepository, event: MailEvent) -> None:
    assert MailEventService(users, FixedClock(NOW)).handle(event) == []
    assert status_of(users) is EmailStatus.OK


def test_no_more_mail_is_tried_to_an_address_marked_undeliverable() -> None:
    catalogs, users, bookings = seeded_repositories()
    users.put_user(make_patient(email_status=EmailStatus.BOUNCING))
    users.put_user(
        make_patient(
            id="dentist",
            email="lucia@clinica.example",
            role=Role.DENTIST,
            email_status=EmailStatus.COMPLAINED,
        )
    )
    catalogs.put_professional(make_professional(user_id="dentist"))
    mailer = FakeMailer()
    service = NotificationService(
        catalogs=catalogs,
        users=users,
        bookings=bookings,
        mailer=mailer,
        reminders=FakeReminders(),
        renderer=JinjaEmailRenderer("citas@clinica.example", IcsCalendarWriter()),
        clock=FixedClock(NOW),
        reminder_lead=timedelta(hours=24),
        ledger=FakeLedger(),
        dead_letters=FakeDeadLetters(),
        deadline=DEADLINE,
    )
    service.booking_changed(None, make_booking())
    assert mailer.sent == []
    users.put_user(make_patient(id="dentist", email="lucia@clinica.example", role=Role.DENTIST))
    service.booking_changed(None, make_booking(id="b-2"))
    assert [(email.audience, email.to) for email in mailer.sent] == [
        (Audience.PROFESSIONAL, "lucia@clinica.example")
    ]


@pytest.mark.parametrize(
    ("maximum", "sent", "percent"), [(200, 0, 0.0), (200, 170, 85.0), (50000, 12345, 24.69), (-1, 10, 0.0)]
)
def test_the_share_of_the_daily_quota_used(maximum: float, sent: float, percent: float) -> None:
    assert SendQuota(maximum, sent, NOW).used_percent == percent
