"""Every email and every reminder schedule exactly once, whatever the delivery of events.

The table stream delivers a record at least once: a batch retried after a timeout, a
record replayed after a partial failure, or two invocations racing on the same
record all hand the notifications function a change it may already have acted on, and
Scheduler may fire a reminder twice. So each side effect is a ``Delivery``, named by
what it is about (the booking, its version, the step and the audience), and is carried
out only by whoever *claims* it first in the ``DeliveryLedger`` (a conditional write):

- ``CLAIMED``: go ahead, then ``complete`` it (or ``fail`` it for good, or ``release``
  it on a transient error so the retry can claim it again);
- ``DONE``: already sent (or failed for good): do nothing;
- ``IN_PROGRESS``: another invocation holds a fresh claim: ``DeliveryInProgress`` is
  raised, the record is reported as failed and retried, and by then it is ``DONE``.

A claim older than ``STALE_CLAIM`` (the function's timeout, with margin) belongs to an
invocation that died mid-way; it may be claimed again, so nothing is lost to a crash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

# Longer than the notifications function's timeout (settings: 30 s).
STALE_CLAIM = timedelta(seconds=90)
# How long a delivery is remembered: beyond the stream's 24 h retention, the mapping's
# record age and the reminder lead (at most 7 days), so no replay outlives its record.
LEDGER_RETENTION = timedelta(days=14)
# The step of creating a booking version's reminder schedule (the others are email kinds).
REMINDER_SCHEDULE_STEP = "reminder-schedule"


class ClaimOutcome(StrEnum):
    CLAIMED = "claimed"
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
    """Another invocation is carrying out this delivery: retry the record later."""

    def __init__(self, delivery: Delivery) -> None:
        super().__init__(
            f"{delivery.step} of booking {delivery.booking_id} v{delivery.version} "
            f"({delivery.audience}) is being delivered by another invocation"
        )
        self.delivery = delivery


class PermanentDeliveryFailure(Exception):
    """The provider refused the message for good (retrying would fail the same way)."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
