"""Every email and every reminder schedule exactly once, whatever the delivery of events.

The table stream delivers a record at least once: a batch retried after a timeout, a
record replayed after a partial failure, or two invocations racing on the same
record all hand the notifications function a change it may already have acted on, and
Scheduler may fire a reminder twice. So each side effect is a ``Delivery``, named by
what it is about (the booking, its version, the step and the audience), and is carried
out only by whoever *claims* it first in the ``DeliveryLedger`` (a conditional write):

- ``CLAIMED`` (or ``TAKEN_OVER``, see below): go ahead, then ``complete`` it (or ``fail``
  it for good, or ``release`` it on a transient error so the retry can claim it again);
- ``DONE``: already sent (or failed for good): do nothing;
- ``IN_PROGRESS``: another invocation holds the claim: wait for it (below).

A claim holds until its holder's deadline (when Lambda stops that invocation, from its
context) plus ``CLAIM_MARGIN``. A claim still pending after that belongs to an invocation
that is gone (stopped at its timeout, or crashed) and is ``TAKEN_OVER`` by whoever claims
it next, so nothing is lost to a timeout. An invocation that meets a claim still held
waits for it, looking again every ``CLAIM_POLL``, until it is done, released or lapsed,
for as long as its own deadline allows (keeping ``FINISHING_TIME`` to carry the delivery
out); only then does it raise ``DeliveryInProgress``, which fails the record for the
stream to retry. Failing at once instead lost emails: the stream retries a failed batch
without waiting for anyone's claim (the devstack at once), every retry met the same claim
(then held for 90 s) until the retries ran out, and the record went to the dead-letter
queue with the email unsent.

Why one retry is enough: Lambda retries a batch only after the invocation that failed it
has ended, at the latest at its deadline, so the claims it left lapse at most
``CLAIM_MARGIN`` into the retry, which can wait that long as long as ``CLAIM_MARGIN +
FINISHING_TIME`` is shorter than the function's timeout (``settings.FUNCTIONS``; a test
holds the two together). For the same reason no record is *started* with less than
``FINISHING_TIME`` left (``NoTimeToStart``): the rest of a long batch is left to the retry
rather than cut off mid-delivery.

What no ledger can close without the provider's help: an invocation stopped after SES
accepted a message but before it recorded it ``sent``. Its claim is taken over and the
email goes out a second time (SES's ``SendEmail`` has no idempotency key); the takeover
is logged and counted (``ClaimsTakenOver``) so that operators can tell.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

# How long a claim outlives its holder's deadline: Lambda's clocks agree to well within
# it, and the devstack's runtime stops a timed-out worker a moment after its deadline.
CLAIM_MARGIN = timedelta(seconds=10)
# How often an invocation waiting for another one's claim looks at the ledger again.
CLAIM_POLL = timedelta(seconds=1)
# The time an invocation keeps to finish what it starts: it starts no record and waits for
# no claim past its deadline minus this (a record takes well under a second on Lambda).
FINISHING_TIME = timedelta(seconds=10)
# How long a delivery is remembered: beyond the stream's 24 h retention, the mapping's
# record age and the reminder lead (at most 7 days), so no replay outlives its record.
LEDGER_RETENTION = timedelta(days=14)
# The step of creating a booking version's reminder schedule (the others are email kinds).
REMINDER_SCHEDULE_STEP = "reminder-schedule"


class ClaimOutcome(StrEnum):
    CLAIMED = "claimed"
    TAKEN_OVER = "taken-over"  # claimed from an invocation that is gone (its claim lapsed)
    DONE = "done"
    IN_PROGRESS = "in-progress"


@dataclass(frozen=True)
class Delivery:
    """One side effect of one booking version: an email to one audience, or a schedule."""

    tenant_id: str
    booking_id: str
    version: int
    step: str  # an ``EmailKind`` value or ``REMINDER_SCHEDULE_STEP``
    audience: str = "-"  # an ``Audience`` value for emails
    # The API request that made this booking version, for the logs and the records.
    request_id: str | None = None
    recipient: str | None = None

    def log_fields(self) -> dict[str, object]:
        """What a log line about this delivery names (never the recipient's address)."""
        return {
            "tenant_id": self.tenant_id,
            "booking_id": self.booking_id,
            "booking_version": self.version,
            "step": self.step,
            "audience": self.audience,
        }


class DeliveryInProgress(Exception):
    """Another invocation still holds this delivery after waiting as long as this one
    could: the record is failed, and the stream retries it."""

    def __init__(self, delivery: Delivery) -> None:
        super().__init__(
            f"{delivery.step} of booking {delivery.booking_id} v{delivery.version} "
            f"({delivery.audience}) is being delivered by another invocation"
        )
        self.delivery = delivery


class NoTimeToStart(Exception):
    """Too little of the invocation's time is left to carry a record out: the record is
    failed without being started, and the stream retries it."""

    def __init__(self, remaining: timedelta) -> None:
        super().__init__(
            f"{remaining.total_seconds():.1f} s left, less than {FINISHING_TIME.total_seconds():.0f} s"
        )
        self.remaining = remaining


class PermanentDeliveryFailure(Exception):
    """The provider refused the message for good (retrying would fail the same way)."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
