"""What the notifications function did, one ``Outcome`` at a time: the handler counts
each as a Powertools metric of the same name (RUNBOOK lists them)."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum


class Outcome(StrEnum):
    EMAIL_SENT = "EmailsSent"
    EMAIL_SKIPPED = "EmailsSkipped"  # allow-list (sandbox) or no recipient
    REMINDER_SCHEDULED = "RemindersScheduled"
    REMINDER_CANCELLED = "RemindersCancelled"
    REMINDER_OBSOLETE = "RemindersObsolete"  # fired for a booking moved or cancelled since
    EMAIL_FAILED = "EmailsFailed"  # refused for good: recorded and dead-lettered
    DUPLICATE_SKIPPED = "DuplicatesSkipped"  # already delivered (a replay or a second firing)
    CLAIM_TAKEN_OVER = "ClaimsTakenOver"  # from an invocation that is gone (it may have sent)


# Called once per outcome; the handler turns it into a Powertools metric.
OutcomeListener = Callable[[Outcome], None]


def ignore_outcome(_: Outcome) -> None:
    return None
