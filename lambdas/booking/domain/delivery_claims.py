"""Carry a ``Delivery`` out once, by the ledger's protocol (``domain.deliveries``): claim
it, waiting while another invocation holds it for as long as this invocation's deadline
allows; then run it, and record what came of it (sent, failed for good and dead-lettered,
or released for the retry after a transient error). Also the rule that no record is
started too close to the deadline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from aws_lambda_powertools import Logger

from booking.domain.deliveries import (
    CLAIM_MARGIN,
    CLAIM_POLL,
    FINISHING_TIME,
    REMINDER_SCHEDULE_STEP,
    ClaimOutcome,
    Delivery,
    DeliveryInProgress,
    NoTimeToStart,
    PermanentDeliveryFailure,
)
from booking.domain.notification_outcomes import Outcome, OutcomeListener
from booking.domain.ports import Clock, DeadLetters, DeliveryLedger

logger = Logger(child=True)


@dataclass(frozen=True)
class DeliveryClaims:
    ledger: DeliveryLedger
    dead_letters: DeadLetters
    clock: Clock
    # When Lambda stops this invocation (its context's remaining time, from the clock's now).
    deadline: datetime
    on_outcome: OutcomeListener

    def ensure_time_to_start(self) -> None:
        """Raise ``NoTimeToStart`` when less than ``FINISHING_TIME`` is left."""
        remaining = self.deadline - self.clock.now()
        if remaining < FINISHING_TIME:
            raise NoTimeToStart(remaining)

    def once(self, delivery: Delivery, attempt: Callable[[], str | None]) -> bool:
        """Run ``attempt`` if this invocation claims ``delivery``; True when it ran and
        succeeded. See ``domain.deliveries`` for the protocol."""
        claim = self._claim(delivery)
        if claim is ClaimOutcome.DONE:
            logger.info("Already delivered; not repeated", extra=delivery.log_fields())
            self.on_outcome(Outcome.DUPLICATE_SKIPPED)
            return False
        if claim is ClaimOutcome.TAKEN_OVER:
            # Its holder was stopped or crashed: before sending (the usual case, the email
            # goes out now for the first time) or after (it goes out twice); see RUNBOOK.
            logger.warning("Claim of an invocation that is gone taken over", extra=delivery.log_fields())
            self.on_outcome(Outcome.CLAIM_TAKEN_OVER)
        try:
            result = attempt()
        except PermanentDeliveryFailure as failure:
            self.ledger.fail(delivery, self.clock.now(), failure.code)
            self.dead_letters.put(delivery, str(failure))
            logger.error(
                "Delivery refused for good; recorded and dead-lettered",
                extra={**delivery.log_fields(), "error_code": failure.code},
            )
            self.on_outcome(Outcome.EMAIL_FAILED)
            return False
        except BaseException:
            self.ledger.release(delivery)
            raise
        self.ledger.complete(delivery, self.clock.now(), result)
        return result is not None or delivery.step == REMINDER_SCHEDULE_STEP

    def _claim(self, delivery: Delivery) -> ClaimOutcome:
        """Claim ``delivery``; while another invocation holds it, look again every
        ``CLAIM_POLL`` for as long as this invocation's deadline allows, then give up
        with ``DeliveryInProgress``. Never ``IN_PROGRESS``."""
        held_until = self.deadline + CLAIM_MARGIN
        waiting = False
        while True:
            now = self.clock.now()
            claim = self.ledger.claim(delivery, now, held_until)
            if claim is not ClaimOutcome.IN_PROGRESS:
                return claim
            if now + CLAIM_POLL > self.deadline - FINISHING_TIME:
                logger.warning(
                    "Delivery still held by another invocation; record left for the retry",
                    extra=delivery.log_fields(),
                )
                raise DeliveryInProgress(delivery)
            if not waiting:
                logger.info(
                    "Delivery held by another invocation; waiting for it", extra=delivery.log_fields()
                )
                waiting = True
            self.clock.sleep(CLAIM_POLL.total_seconds())
