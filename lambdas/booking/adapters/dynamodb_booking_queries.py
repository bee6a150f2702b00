"""The Query requests that read bookings: one index per question, never a Scan.

Bookings are found on the calendar indexes that ``table_design`` declares: the
professional's (gsi2) for availability and a professional's list, the patient's (gsi3)
for a patient's list, the tenant's (gsi1) for everything else. Each index is keyed by
appointment start (``<start>#<id>``), so a time window is a key condition; status and
a second id are filters on the page read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from booking.adapters import dynamodb_items as items
from booking.adapters import table_design
from booking.domain.models import LIVE_STATUSES, MAX_BLOCKED_MINUTES, BookingStatus
from booking.domain.ports import BookingQuery

MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class PageRequest:
    """One Query of a booking list, and the index its cursor belongs to."""

    index_name: str
    request: dict[str, Any]


def _status_filter(statuses: frozenset[BookingStatus], values: dict[str, Any]) -> str:
    """``#status IN (:s0, :s1, ...)``, adding the ``:sN`` values to ``values``."""
    ordered = sorted(statuses)
    values.update({f":s{number}": {"S": status.value} for number, status in enumerate(ordered)})
    return f"#status IN ({', '.join(f':s{n}' for n in range(len(ordered)))})"


def professional_window(
    tenant_id: str, professional_id: str, start: datetime, end: datetime
) -> dict[str, Any]:
    """The Query on the professional's calendar (gsi2) for live bookings near [start, end).

    A booking's start lies within ``MAX_BLOCKED_MINUTES`` of any instant its blocked
    range covers, so widening the window by that much on both sides finds every
    booking whose blocked range meets ``[start, end)``; the caller then makes the exact
    test on the blocked range itself."""
    index = items.INDEX_BY_NAME[table_design.PROFESSIONAL_CALENDAR_INDEX]
    margin = timedelta(minutes=MAX_BLOCKED_MINUTES)
    values: dict[str, Any] = {
        ":pk": {"S": items.professional_calendar_pk(tenant_id, professional_id)},
        ":low": {"S": items.utc_key(start - margin)},
        ":high": {"S": items.utc_key(end + margin)},
    }
    return {
        "IndexName": index.name,
        "KeyConditionExpression": "#pk = :pk AND #sk BETWEEN :low AND :high",
        "FilterExpression": _status_filter(LIVE_STATUSES, values),
        "ExpressionAttributeNames": {"#pk": index.partition_key, "#sk": index.sort_key, "#status": "status"},
        "ExpressionAttributeValues": values,
    }


def _calendar_of(query: BookingQuery) -> tuple[str, str]:
    """The index the filter narrows best, and the partition to read in it."""
    tenant = query.tenant_id
    if query.patient_id is not None:
        return table_design.PATIENT_INDEX, items.patient_pk(tenant, query.patient_id)
    if query.professional_id is not None:
        return (
            table_design.PROFESSIONAL_CALENDAR_INDEX,
            items.professional_calendar_pk(tenant, query.professional_id),
        )
    return table_design.TENANT_CALENDAR_INDEX, items.tenant_calendar_pk(tenant)


def page_request(query: BookingQuery) -> PageRequest:
    """One page of ``query``: the patient's calendar (gsi3), else the professional's
    (gsi2), else the tenant's (gsi1)."""
    index_name, partition = _calendar_of(query)
    index = items.INDEX_BY_NAME[index_name]

    names = {"#pk": index.partition_key}
    values: dict[str, Any] = {":pk": {"S": partition}}
    condition = "#pk = :pk"
    if query.start_from is not None or query.start_to is not None:
        names["#sk"] = index.sort_key
    if query.start_from is not None and query.start_to is not None:
        condition += " AND #sk BETWEEN :from AND :to"
    elif query.start_from is not None:
        condition += " AND #sk >= :from"
    elif query.start_to is not None:
        condition += " AND #sk < :to"
    if query.start_from is not None:
        values[":from"] = {"S": items.utc_key(query.start_from)}
    if query.start_to is not None:
        # Sort keys are "<start>#<id>", so "<to>" sorts before every booking at "to":
        # BETWEEN with it is the half-open [from, to).
        values[":to"] = {"S": items.utc_key(query.start_to)}

    filters = []
    if query.statuses:
        names["#status"] = "status"
        filters.append(_status_filter(query.statuses, values))
    if query.patient_id is not None and query.professional_id is not None:
        names["#professional"] = "professionalId"
        values[":professional"] = {"S": query.professional_id}
        filters.append("#professional = :professional")

    request: dict[str, Any] = {
        "IndexName": index.name,
        "KeyConditionExpression": condition,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
        "Limit": max(1, min(query.limit, MAX_PAGE_SIZE)),
    }
    if filters:
        request["FilterExpression"] = " AND ".join(filters)
    if query.cursor:
        request["ExclusiveStartKey"] = items.decode_cursor(
            query.cursor, index.name, (index.partition_key, partition)
        )
    return PageRequest(index.name, request)
