"""Every email and every schedule once, whatever the delivery of events: replays,
retries after a failure, reminders fired twice, a claim left by a crashed invocation."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import pytest
from booking.domain.deliveries import (
    CLAIM_MARGIN,
    CLAIM_POLL,
    FINISHING_TIME,
    Delivery,
    DeliveryInProgress,
    NoTimeToStart,
    PermanentDeliveryFailure,
)
from booking.domain.models import BookingStatus
from booking.domain.notification_outcomes import Outcome
from booking.domain.notification_service import NotificationService
from booking.domain.notifications import Audience, EmailKind, OutgoingEmail, ReminderRequest

from tests.fakes import FixedClock
from tests.notification_support import (
    DEADLINE,
    DENTIST,
    NOW,
    TENANT_ID,
    TIMEOUT,
    FakeDeadLetters,
    FakeLedger,
    FakeMailer,
    FakeReminders,
    make_booking,
    make_professional,
    notification_service,
    seeded_repositories,
)


@dataclass
class CountingReminders(FakeReminders):
    created: int = 0

    def schedule(self, request: ReminderRequest, at: datetime, time_zone: str) -> None:
        self.created += 1
        super().schedule(request, at, time_zone)


@dataclass
class FlakyMailer(FakeMailer):
    """Fails the sends to the addresses in ``refuse`` (transiently or for good)."""

    refuse: dict[str, Exception] = field(default_factory=dict)

    def send(self, email: OutgoingEmail) -> str | None:
        if email.to in self.refuse:
            raise self.refuse[email.to]
        return super().send(email)


@dataclass
class World:
    service: NotificationService
    mailer: FlakyMailer
    reminders: CountingReminders
    ledger: FakeLedger
    dead_letters: FakeDeadLetters
    clock: FixedClock
    outcomes: list[Outcome]


@pytest.fixture
def world() -> World:
    catalogs, users, bookings = seeded_repositories()
    catalogs.put_professional(make_professional(email=DENTIST))
    bookings.bookings[(TENANT_ID, "b-1")] = make_booking()
    mailer, reminders, ledger, letters = FlakyMailer(), CountingReminders(), FakeLedger(), FakeDeadLetters()
    clock, outcomes = FixedClock(NOW), []
    service = notification_service(
        catalogs,
        users,
        bookings,
        mailer,
        reminders=reminders,
        ledger=ledger,
        dead_letters=letters,
        clock=clock,
        on_outcome=outcomes.append,
    )
    return World(service, mailer, reminders, ledger, letters, clock, outcomes)


def kinds_to(world: World) -> list[tuple[EmailKind, str]]:
    return [(email.kind, email.to) for email in world.mailer.sent]


def test_a_replayed_record_sends_no_second_email_and_creates_no_second_schedule(world: World) -> None:
    booking = make_booking()
    world.service.booking_changed(None, booking, "req-1")
    world.reminders.schedules.clear()  # the reminder fired, and its schedule deleted itself
    world.service.booking_changed(None, booking, "req-1")  # the batch, retried after a timeout
    assert kinds_to(world) == [(EmailKind.CONFIRMATION, "ana@example.com"), (EmailKind.CONFIRMATION, DENTIST)]
    assert world.reminders.created == 1
    assert world.reminders.schedules == {}
    assert world.outcomes.count(Outcome.DUPLICATE_SKIPPED) == 3


def test_a_new_version_is_a_new_delivery(world: World) -> None:
    booking = make_booking()
    moved = make_booking(start=booking.start + timedelta(days=1), version=2)
    for _ in range(2):  # the whole shard replayed: both records, in order
        world.service.booking_changed(None, booking)
        world.service.booking_changed(booking, moved)
    assert [kind for kind, _ in kinds_to(world)] == [EmailKind.CONFIRMATION] * 2 + [EmailKind.RESCHEDULE] * 2
    assert world.reminders.created == 2
    request, *_ = world.reminders.schedules[(TENANT_ID, "b-1")]
    assert request.start == moved.start


def test_a_reminder_fired_twice_is_sent_once(world: World) -> None:
    request = ReminderRequest.for_booking(make_booking())
    assert world.service.reminder_fired(request)
    assert not world.service.reminder_fired(request)
    assert kinds_to(world) == [(EmailKind.REMINDER, "ana@example.com")]


def test_a_transient_failure_is_retried_and_the_retry_sends_only_what_is_missing(world: World) -> None:
    world.mailer.refuse[DENTIST] = RuntimeError("SES throttled")
    with pytest.raises(RuntimeError, match="throttled"):
        world.service.booking_changed(None, make_booking())
    assert kinds_to(world) == [(EmailKind.CONFIRMATION, "ana@example.com")]
    del world.mailer.refuse[DENTIST]
    world.service.booking_changed(None, make_booking())  # the record, retried
    assert kinds_to(world) == [(EmailKind.CONFIRMATION, "ana@example.com"), (EmailKind.CONFIRMATION, DENTIST)]
    assert world.reminders.created == 1
    assert set(world.ledger.statuses().values()) == {"sent"}


def test_a_permanent_failure_is_recorded_dead_lettered_and_the_others_still_go_out(world: World) -> None:
    world.mailer.refuse["ana@example.com"] = PermanentDeliveryFailure(
        "MessageRejected", "Email address is not verified."
    )
    world.service.booking_changed(None, make_booking(), "req-7")  # no exception: the record is done
    assert kinds_to(world) == [(EmailKind.CONFIRMATION, DENTIST)]
    [(delivery, reason)] = world.dead_letters.letters
    assert delivery == Delivery(
        TENANT_ID, "b-1", 1, "confirmation", "patient", request_id="req-7", recipient="ana@example.com"
    )
    assert reason.startswith("MessageRejected")
    assert world.ledger.statuses()[(TENANT_ID, "b-1", 1, "confirmation", "patient")] == "failed"
    assert Outcome.EMAIL_FAILED in world.outcomes
    world.service.booking_changed(None, make_booking())  # a replay tries it no more
    assert len(world.dead_letters.letters) == 1
    assert len(world.mailer.sent) == 1


class HolderFinishesAfter(FixedClock):
    """The test clock, with another invocation that completes its claim of ``delivery``
    once this one has waited ``seconds``."""

    def __init__(self, now: datetime, ledger: FakeLedger, delivery: Delivery, seconds: float) -> None:
        super().__init__(now)
        self.ledger, self.delivery = ledger, delivery
        self.finishes_at = now + timedelta(seconds=seconds)

    def sleep(self, seconds: float) -> None:
        super().sleep(seconds)
        if (
            self.current >= self.finishes_at
            and self.ledger.statuses()[FakeLedger._key(self.delivery)] == "pending"
        ):
            self.ledger.complete(self.delivery, self.current, "message-0")


PATIENT_CONFIRMATION = Delivery(TENANT_ID, "b-1", 1, "confirmation", Audience.PATIENT.value)


def test_a_delivery_another_live_invocation_holds_is_waited_for_and_not_repeated(world: World) -> None:
    world.ledger.claim(
        PATIENT_CONFIRMATION, NOW, DEADLINE + CLAIM_MARGIN
    )  # a concurrent invocation, mid-send
    clock = HolderFinishesAfter(NOW, world.ledger, PATIENT_CONFIRMATION, seconds=3)
    service = replace(world.service, clock=clock)
    service.booking_changed(None, make_booking())
    assert kinds_to(world) == [(EmailKind.CONFIRMATION, DENTIST)]
    assert clock.now() == NOW + timedelta(seconds=3)
    assert Outcome.DUPLICATE_SKIPPED in world.outcomes


def test_a_delivery_held_beyond_this_invocations_time_fails_the_record_then_the_retry_skips_it(
    world: World,
) -> None:
    # Held by an invocation that started later than this one and is still sending.
    world.ledger.claim(PATIENT_CONFIRMATION, NOW, DEADLINE + timedelta(seconds=20) + CLAIM_MARGIN)
    with pytest.raises(DeliveryInProgress):
        world.service.booking_changed(None, make_booking())
    assert world.mailer.sent == []
    # It waited while it could, keeping the time to finish a delivery.
    assert DEADLINE - FINISHING_TIME - CLAIM_POLL <= world.clock.now() <= DEADLINE - FINISHING_TIME
    world.ledger.complete(PATIENT_CONFIRMATION, world.clock.now(), "message-0")  # it finished
    retry = replace(world.service, deadline=world.clock.now() + TIMEOUT)
    retry.booking_changed(None, make_booking())  # the record, retried
    assert kinds_to(world) == [(EmailKind.CONFIRMATION, DENTIST)]


def test_a_claim_left_by_an_invocation_stopped_at_its_timeout_is_taken_over_by_the_next_one(
    world: World,
) -> None:
    stopped_deadline = NOW  # it was stopped just now, holding the patient's email
    world.ledger.claim(PATIENT_CONFIRMATION, NOW - TIMEOUT / 2, stopped_deadline + CLAIM_MARGIN)
    world.service.booking_changed(None, make_booking())  # the retry, which started at once
    assert [to for _, to in kinds_to(world)] == ["ana@example.com", DENTIST]
    assert NOW + CLAIM_MARGIN < world.clock.now() <= NOW + CLAIM_MARGIN + CLAIM_POLL
    assert world.outcomes.count(Outcome.CLAIM_TAKEN_OVER) == 1
    assert set(world.ledger.statuses().values()) == {"sent"}


def test_no_record_is_started_with_less_than_the_finishing_time_left(world: World) -> None:
    late = replace(world.service, deadline=NOW + FINISHING_TIME - timedelta(milliseconds=1))
    with pytest.raises(NoTimeToStart):
        late.booking_changed(None, make_booking())
    with pytest.raises(NoTimeToStart):
        late.reminder_fired(ReminderRequest.for_booking(make_booking()))
    assert world.ledger.entries == {}
    assert world.mailer.sent == []
    replace(world.service, deadline=NOW + FINISHING_TIME).booking_changed(None, make_booking())
    assert len(world.mailer.sent) == 2


def test_a_cancelled_booking_is_emailed_once_and_its_reminder_removed(world: World) -> None:
    booking = make_booking()
    cancelled = make_booking(status=BookingStatus.CANCELLED, version=2)
    for _ in range(3):
        world.service.booking_changed(None, booking)
        world.service.booking_changed(booking, cancelled)
    assert [kind for kind, _ in kinds_to(world)].count(EmailKind.CANCELLATION) == 2  # patient, dentist
    assert world.reminders.schedules == {}
