"""No overbooking over HTTP: many clients racing for one slot, one wins."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from booking.adapters.dynamodb_table import DynamoTable
from booking.adapters.integrity import check_integrity

from tests.e2e.conftest import Devstack, find_bookable

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("devstack")]

CLIENTS = 50


def test_fifty_concurrent_bookings_of_one_slot_give_one_201_and_49_409_and_a_clean_table(devstack: Devstack):
    api, token = devstack.api, devstack.token("Reception")
    bookable = find_bookable(api, token)
    body = bookable.request(len(bookable.slots) // 2, patientId=devstack.user_id("Patient"))
    # Every client starts at the same moment; a throttled one (429) retries, as AWS
    # clients do, so each ends with the booking's own answer.
    barrier = threading.Barrier(CLIENTS)

    def book(_: int) -> tuple[int, dict[str, object]]:
        barrier.wait()
        response = api.request(
            "POST", "/bookings", token, json=body, headers={"Idempotency-Key": uuid.uuid4().hex}
        )
        return response.status_code, response.json()

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        answers = list(pool.map(book, range(CLIENTS)))

    statuses = sorted(status for status, _ in answers)
    assert statuses == [201] + [409] * (CLIENTS - 1), statuses
    assert {answer["error"]["code"] for status, answer in answers if status == 409} == {"SLOT_TAKEN"}  # type: ignore[index]
    report = check_integrity(DynamoTable(devstack.outputs.table_name, client=devstack.client("dynamodb")))
    assert report.ok, report.problems
    assert report.bookings_checked >= 1
