"""The notifications stream mapping carries the filter its function declares, so Lambda
(and the devstack's pump) drops lock cells and idempotency records before invoking it."""

from __future__ import annotations

from booking.settings import FUNCTIONS

from engine.inventory import Inventory


def test_the_stream_mapping_filters_with_the_patterns_of_the_notifications_function(
    inventory: Inventory,
) -> None:
    [mapping] = inventory.of_type("aws:lambda/eventSourceMapping:EventSourceMapping")
    filters = mapping.inputs["filterCriteria"]["filters"]
    assert [item["pattern"] for item in filters] == list(FUNCTIONS["notifications"].stream_filter_patterns)
