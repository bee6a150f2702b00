"""The notifications function's timeout and its stream mapping agree with the delivery
ledger's timing (``domain.deliveries``): the retry that follows an invocation stopped at
its timeout can wait out the claims that invocation left, and still deliver."""

from __future__ import annotations

from datetime import timedelta

import pytest
from booking.domain.deliveries import CLAIM_MARGIN, CLAIM_POLL, FINISHING_TIME
from booking.settings import FUNCTIONS

from engine.inventory import Inventory
from tests.infra.conftest import only

pytestmark = pytest.mark.xdist_group("infra-program")


def test_the_retry_after_a_timeout_outwaits_the_claims_left_and_still_has_time_to_deliver(
    inventory: Inventory,
) -> None:
    [function] = [
        record
        for record in inventory.of_type("aws:lambda/function:Function")
        if record.inputs["name"].endswith("-notifications")
    ]
    timeout = timedelta(seconds=function.inputs["timeout"])
    assert timeout == timedelta(seconds=FUNCTIONS["notifications"].timeout_seconds)
    # A claim lapses CLAIM_MARGIN after its holder's deadline; the retry starts at that
    # deadline at the earliest, waits (polling) and keeps FINISHING_TIME to deliver.
    assert timeout > CLAIM_MARGIN + CLAIM_POLL + FINISHING_TIME

    mapping = only(inventory, "aws:lambda/eventSourceMapping:EventSourceMapping")
    assert mapping.inputs["maximumRetryAttempts"] >= 1
    assert mapping.inputs["bisectBatchOnFunctionError"] is True  # a timed-out batch is halved
    assert mapping.inputs["functionResponseTypes"] == ["ReportBatchItemFailures"]
