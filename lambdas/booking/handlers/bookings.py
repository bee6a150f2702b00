"""Lambda entry point of the ``bookings`` function, with its business metrics."""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit

from booking import bootstrap
from booking.domain.access import Action
from booking.domain.bookings import BookingService
from booking.domain.errors import SlotTaken
from booking.handlers.http import Call, HttpFunction, Reply
from booking.schemas import (
    Booking,
    BookingCancel,
    BookingCreate,
    BookingList,
    BookingListQuery,
    BookingReschedule,
    BookingStatusChange,
)

function = HttpFunction("bookings")
IDEMPOTENCY_HEADER = "idempotency-key"  # HTTP API v2 lower-cases header names


def _service() -> BookingService:
    return bootstrap.bookings()


def _count(name: str) -> None:
    function.metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)


# Every operation on one booking admits the caller in the read its service makes first
# (``domain.admission``); a list is admitted by the edge.
@function.operation(Action.CREATE_BOOKING, admits_caller=True)
def create_booking(call: Call) -> Reply:
    try:
        result = _service().create(
            call.caller, call.body_as(BookingCreate), call.headers.get(IDEMPOTENCY_HEADER)
        )
    except SlotTaken:
        _count("BookingConflicts")
        raise
    if result.created:
        _count("BookingsCreated")
        return Reply(result.booking)
    # The original answer to the original request: same status, same booking.
    return Reply(result.booking, headers={"idempotent-replayed": "true"})


@function.operation(Action.LIST_BOOKINGS)
def list_bookings(call: Call) -> BookingList:
    page = _service().list_bookings(call.caller, call.query_as(BookingListQuery))
    return BookingList(items=page.items, next_cursor=page.next_cursor)


@function.operation(Action.GET_BOOKING, admits_caller=True)
def get_booking(call: Call) -> Booking:
    return _service().get(call.caller, call.path["id"])


@function.operation(Action.RESCHEDULE_BOOKING, admits_caller=True)
def reschedule_booking(call: Call) -> Booking:
    try:
        return _service().reschedule(
            call.caller,
            call.path["id"],
            call.body_as(BookingReschedule),
            call.headers.get(IDEMPOTENCY_HEADER),
        )
    except SlotTaken:
        _count("BookingConflicts")
        raise


@function.operation(Action.CHANGE_BOOKING_STATUS, admits_caller=True)
def change_booking_status(call: Call) -> Booking:
    return _service().change_status(call.caller, call.path["id"], call.body_as(BookingStatusChange))


@function.operation(Action.CANCEL_BOOKING, admits_caller=True)
def cancel_booking(call: Call) -> Booking:
    cancelled = _service().cancel(call.caller, call.path["id"], call.body_as(BookingCancel))
    _count("BookingsCancelled")
    return cancelled


handler = function.build()
