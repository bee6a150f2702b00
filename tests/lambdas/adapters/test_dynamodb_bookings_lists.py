"""Lists and availability read the calendar indexes, one query per page, never a Scan."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from booking.adapters.dynamodb_bookings import DynamoBookingRepository
from booking.domain.errors import BadRequest
from booking.domain.models import BookingStatus
from booking.domain.ports import BookingQuery

from tests.lambdas.adapters.conftest import book, make_booking

DAY = datetime(2030, 3, 5, 8, 0, tzinfo=UTC)


def record_calls(bookings: DynamoBookingRepository) -> list[tuple[str, dict[str, Any]]]:
    calls: list[tuple[str, dict[str, Any]]] = []
    bookings._table.client.meta.events.register(
        "provide-client-params.dynamodb", lambda params, model, **_: calls.append((model.name, dict(params)))
    )
    return calls


def test_live_bookings_of_a_professional_are_those_whose_blocked_range_meets_the_window(
    bookings: DynamoBookingRepository,
) -> None:
    book(bookings, make_booking("early", DAY, 60))  # 08:00-09:00
    book(bookings, make_booking("buffered", DAY + timedelta(hours=3), 30, before=30))  # blocks 10:30-11:30
    book(bookings, make_booking("late", DAY + timedelta(hours=6), 30, after=15))  # 14:00-14:45
    book(bookings, make_booking("other-pro", DAY + timedelta(hours=2), 30, professional_id="pro-2"))
    cancelled = book(bookings, make_booking("cancelled", DAY + timedelta(hours=2), 30))
    bookings.release(cancelled, cancelled.model_copy(update={"status": BookingStatus.CANCELLED}), [])
    calls = record_calls(bookings)

    found = bookings.list_live_for_professional(
        "t1", "pro-1", DAY + timedelta(hours=1), DAY + timedelta(hours=2, minutes=45)
    )
    # The window 09:00-10:45 meets only the buffer before "buffered"'s 11:00 start.
    assert [b.id for b in found] == ["buffered"]
    assert [name for name, _ in calls] == ["Query"]
    assert calls[0][1]["IndexName"] == "gsi2"

    whole_day = bookings.list_live_for_professional("t1", "pro-1", DAY, DAY + timedelta(days=1))
    assert [b.id for b in whole_day] == ["early", "buffered", "late"]
    assert (
        bookings.list_live_for_professional("t1", "pro-1", DAY + timedelta(hours=1), DAY + timedelta(hours=1))
        == []
    )


def test_a_booking_ending_exactly_at_the_window_start_is_not_listed(
    bookings: DynamoBookingRepository,
) -> None:
    book(bookings, make_booking("b1", DAY, 60, after=10))

    assert (
        bookings.list_live_for_professional(
            "t1", "pro-1", DAY + timedelta(minutes=70), DAY + timedelta(hours=3)
        )
        == []
    )
    assert (
        len(
            bookings.list_live_for_professional(
                "t1", "pro-1", DAY + timedelta(minutes=65), DAY + timedelta(hours=3)
            )
        )
        == 1
    )


def seed_calendar(bookings: DynamoBookingRepository) -> None:
    for number in range(7):
        book(bookings, make_booking(f"p1-{number}", DAY + timedelta(hours=number), 30, patient_id="alice"))
    for number in range(3):
        book(
            bookings,
            make_booking(
                f"p2-{number}", DAY + timedelta(hours=number), 30, professional_id="pro-2", patient_id="bob"
            ),
        )
    book(bookings, make_booking("foreign", DAY, 30, tenant_id="t2"))


def all_pages(bookings: DynamoBookingRepository, query: BookingQuery) -> list[list[str]]:
    pages = []
    cursor = None
    while True:
        page = bookings.query(BookingQuery(**{**query.__dict__, "cursor": cursor}))
        pages.append([b.id for b in page.items])
        cursor = page.next_cursor
        if cursor is None:
            return pages


def test_the_tenant_calendar_pages_through_every_booking_in_start_order(
    bookings: DynamoBookingRepository,
) -> None:
    seed_calendar(bookings)
    calls = record_calls(bookings)

    pages = all_pages(bookings, BookingQuery(tenant_id="t1", limit=4))

    listed = [booking_id for page in pages for booking_id in page]
    assert len(listed) == 10
    assert "foreign" not in listed
    assert listed[:2] == ["p1-0", "p2-0"] or listed[:2] == ["p2-0", "p1-0"]
    assert all(len(page) <= 4 for page in pages)
    assert {name for name, _ in calls} == {"Query"}
    assert len(calls) == len(pages)
    assert {params["IndexName"] for _, params in calls} == {"gsi1"}


def test_filters_pick_the_narrowest_index(bookings: DynamoBookingRepository) -> None:
    seed_calendar(bookings)
    calls = record_calls(bookings)

    by_professional = bookings.query(BookingQuery(tenant_id="t1", professional_id="pro-2"))
    by_patient = bookings.query(BookingQuery(tenant_id="t1", patient_id="alice", limit=100))
    both = bookings.query(BookingQuery(tenant_id="t1", patient_id="bob", professional_id="pro-1"))

    assert [b.id for b in by_professional.items] == ["p2-0", "p2-1", "p2-2"]
    assert [b.id for b in by_patient.items] == [f"p1-{n}" for n in range(7)]
    assert both.items == []
    assert [params["IndexName"] for _, params in calls] == ["gsi2", "gsi3", "gsi3"]


def test_the_time_window_is_half_open_on_appointment_start(bookings: DynamoBookingRepository) -> None:
    seed_calendar(bookings)

    page = bookings.query(
        BookingQuery(
            tenant_id="t1",
            professional_id="pro-1",
            start_from=DAY + timedelta(hours=2),
            start_to=DAY + timedelta(hours=5),
        )
    )
    since = bookings.query(
        BookingQuery(tenant_id="t1", professional_id="pro-1", start_from=DAY + timedelta(hours=5))
    )
    until = bookings.query(
        BookingQuery(tenant_id="t1", professional_id="pro-1", start_to=DAY + timedelta(hours=1))
    )

    assert [b.id for b in page.items] == ["p1-2", "p1-3", "p1-4"]
    assert [b.id for b in since.items] == ["p1-5", "p1-6"]
    assert [b.id for b in until.items] == ["p1-0"]


def test_a_status_filter_keeps_only_those_statuses(bookings: DynamoBookingRepository) -> None:
    seed_calendar(bookings)
    current = bookings.get("t1", "p1-3")
    assert current is not None
    bookings.update(current, current.model_copy(update={"status": BookingStatus.NO_SHOW}))

    no_shows = bookings.query(BookingQuery(tenant_id="t1", statuses=frozenset({BookingStatus.NO_SHOW})))
    confirmed = all_pages(
        bookings, BookingQuery(tenant_id="t1", statuses=frozenset({BookingStatus.CONFIRMED}), limit=3)
    )

    assert [b.id for b in no_shows.items] == ["p1-3"]
    assert sorted(b for page in confirmed for b in page) == sorted(
        [f"p1-{n}" for n in (0, 1, 2, 4, 5, 6)] + [f"p2-{n}" for n in range(3)]
    )


def tampered(cursor: str, change: Any) -> str:
    data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    change(data)
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode()


FORGERIES = {
    "not base64": lambda cursor: "not-base64!!",
    "not an object": lambda cursor: base64.urlsafe_b64encode(b"[1, 2]").decode(),
    "truncated": lambda cursor: cursor[:-3],
    "oversized": lambda cursor: cursor + "A" * 4096,
    "not ascii": lambda cursor: cursor[:-1] + "é",
    "another tenant's partition": lambda cursor: tampered(
        cursor, lambda data: data["k"].update(gsi1pk="TENANT#t2#BOOKINGS")
    ),
    "another index": lambda cursor: tampered(cursor, lambda data: data.update(i="gsi3")),
    "a key missing": lambda cursor: tampered(cursor, lambda data: data["k"].pop("sk")),
    "an extra key": lambda cursor: tampered(cursor, lambda data: data["k"].update(extra="x")),
    "a number for a key": lambda cursor: tampered(cursor, lambda data: data["k"].update(sk=7)),
}


@pytest.mark.parametrize("forge", FORGERIES.values(), ids=FORGERIES.keys())
def test_a_tampered_cursor_is_a_bad_request(bookings: DynamoBookingRepository, forge: Any) -> None:
    for number in range(3):
        book(bookings, make_booking(f"b{number}", DAY + timedelta(hours=number), 30))
    cursor = bookings.query(BookingQuery(tenant_id="t1", limit=2)).next_cursor
    assert cursor is not None

    with pytest.raises(BadRequest) as raised:
        bookings.query(BookingQuery(tenant_id="t1", limit=2, cursor=forge(cursor)))

    assert raised.value.code == "INVALID_CURSOR"
    assert raised.value.status == 400


def test_a_cursor_from_one_listing_is_refused_by_another(bookings: DynamoBookingRepository) -> None:
    seed_calendar(bookings)
    cursor = bookings.query(BookingQuery(tenant_id="t1", patient_id="alice", limit=2)).next_cursor

    with pytest.raises(BadRequest):
        bookings.query(BookingQuery(tenant_id="t1", patient_id="bob", limit=2, cursor=cursor))
    with pytest.raises(BadRequest):
        bookings.query(BookingQuery(tenant_id="t2", patient_id="alice", limit=2, cursor=cursor))
