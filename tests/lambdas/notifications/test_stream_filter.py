"""The stream filter declared for the notifications function lets exactly the booking
items through, as Lambda's event filtering (and the devstack's pump) evaluates it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from booking.adapters import dynamodb_items as items
from booking.adapters import table_design
from booking.domain.ports import IdempotencyRecord
from booking.settings import BOOKING_ITEMS_STREAM_FILTER, FUNCTIONS

from devstack.pumps import matches
from tests.lambdas.notifications.streams import booking_inserted, booking_modified, lock_item, record
from tests.notification_support import NOW, START, TENANT_ID, make_booking, make_patient, make_tenant

PATTERN = json.loads(BOOKING_ITEMS_STREAM_FILTER)


def test_the_notifications_function_declares_the_booking_filter_for_its_stream() -> None:
    assert FUNCTIONS["notifications"].stream_filter_patterns == (BOOKING_ITEMS_STREAM_FILTER,)


def test_the_filter_names_the_tables_sort_key_and_the_booking_prefix() -> None:
    assert PATTERN == {
        "dynamodb": {"Keys": {table_design.SORT_KEY: {"S": [{"prefix": items.BOOKING_PREFIX}]}}}
    }


def test_booking_inserts_changes_and_removals_pass() -> None:
    booking = make_booking()
    moved = make_booking(start=START + timedelta(days=1), version=2)
    assert matches(PATTERN, booking_inserted(1, booking))
    assert matches(PATTERN, booking_modified(2, booking, moved))
    assert matches(PATTERN, record("REMOVE", 3, old=dict(items.booking_item(booking))))


@pytest.mark.parametrize(
    "image",
    [
        lock_item(TENANT_ID, "pro-1", START, "b-1"),
        dict(
            items.idempotency_item(
                IdempotencyRecord(TENANT_ID, "key-1", "caller", "hash", "b-1", NOW + timedelta(days=1))
            )
        ),
        dict(items.tenant_item(make_tenant())),
        dict(items.user_item(make_patient())),
    ],
    ids=["lock cell", "idempotency record", "tenant", "user"],
)
def test_other_items_are_filtered_out(image: dict[str, object]) -> None:
    assert not matches(PATTERN, record("INSERT", 1, new=image))
