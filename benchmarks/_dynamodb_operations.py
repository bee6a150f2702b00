"""The operations issue 10 added, measured by ``benchmarks.dynamodb_requests``: users'
lifecycle and search, the caller's profile, closures, a dentist's time off, and the
idempotent cancel and reschedule. Each is a real invocation of the packaged handler."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from booking.domain.roles import Role

from benchmarks._dynamodb_clinic import PRO, SUBS, TREATMENT

Measure = Callable[[str, str, Callable[[list[str]], bool], Callable[[], Any]], Any]
Invoke = Callable[..., Any]
# What the access gate costs where an operation reads nothing of its own first.
GATE = "+ the gate"
# An operation on one user reads that user with the gate's items.
FOLDED_READ = "1 read (the gate folded in)"
FOLDED_WRITE = "1 transaction + 1 read (gate folded)"


def only(*expected: str) -> Callable[[list[str]], bool]:
    return lambda calls: calls == list(expected)


def one_transaction(calls: list[str]) -> bool:
    return calls.count("TransactWriteItems") == 1 and calls[0] == "BatchGetItem"


def measure_clinic_operations(measure: Measure, invoke: Invoke, free: datetime) -> None:
    patient = {"path_parameters": {"id": SUBS[Role.PATIENT]}}
    start = free + timedelta(days=1)
    body = {"professionalId": PRO, "treatmentId": TREATMENT, "patientId": SUBS[Role.PATIENT]}
    created = invoke(
        "POST",
        "/bookings",
        Role.RECEPTION,
        body={**body, "start": start.isoformat()},
        headers={"idempotency-key": "ops"},
    )
    booking = {"path_parameters": {"id": created["id"]}}
    moved = {"start": (start + timedelta(hours=1)).isoformat()}
    move = partial(
        invoke, "PUT", "/bookings/{id}", Role.RECEPTION, body=moved, headers={"idempotency-key": "move"}
    )
    measure(
        "PUT /bookings/{id} (with an Idempotency-Key)",
        "1 transaction + reads",
        one_transaction,
        partial(move, **booking),
    )
    measure(
        "PUT /bookings/{id} (the same key and body again)",
        "1 read, no write",
        only("BatchGetItem"),
        partial(move, **booking),
    )
    cancel = partial(invoke, "DELETE", "/bookings/{id}", Role.RECEPTION, body={"reason": "bench"}, **booking)
    cancel()
    measure("DELETE /bookings/{id} (already cancelled)", "1 read, no write", only("BatchGetItem"), cancel)

    measure(
        "GET /users?q= (search by name, one page)",
        f"1 query per page {GATE}",
        only("BatchGetItem", "Query(gsi4)"),
        partial(invoke, "GET", "/users", Role.RECEPTION, query={"q": "patient b"}),
    )
    measure(
        "GET /users/{id}",
        FOLDED_READ,
        only("BatchGetItem"),
        partial(invoke, "GET", "/users/{id}", Role.RECEPTION, **patient),
    )
    measure(
        "PATCH /users/{id} (name, phone)",
        FOLDED_WRITE,
        only("BatchGetItem", "TransactWriteItems"),
        partial(
            invoke,
            "PATCH",
            "/users/{id}",
            Role.RECEPTION,
            body={"name": "Patient Bench", "phone": "0991234567"},
            **patient,
        ),
    )
    measure(
        "GET /me",
        FOLDED_READ,
        only("BatchGetItem"),
        partial(invoke, "GET", "/me", Role.PATIENT),
    )
    measure(
        "PATCH /me",
        FOLDED_WRITE,
        only("BatchGetItem", "TransactWriteItems"),
        partial(invoke, "PATCH", "/me", Role.PATIENT, body={"phone": "+593 99 123 4567"}),
    )

    afternoon = free + timedelta(days=2)  # a closed afternoon: the seeded bookings are mornings
    closure = {
        "start": afternoon.isoformat(),
        "end": (afternoon + timedelta(hours=4)).isoformat(),
        "reason": "bench",
    }
    made = measure(
        "POST /closures",
        f"1 query a page + 1 read + 1 write {GATE}",
        only("BatchGetItem", "Query(gsi1)", "GetItem", "PutItem"),
        partial(invoke, "POST", "/closures", Role.ADMIN, body=closure),
    )
    measure(
        "GET /closures",
        f"1 read {GATE}",
        only("BatchGetItem", "GetItem"),
        partial(invoke, "GET", "/closures", Role.PATIENT),
    )
    measure(
        "DELETE /closures/{id}",
        f"1 read + 1 write {GATE}",
        only("BatchGetItem", "GetItem", "PutItem"),
        partial(invoke, "DELETE", "/closures/{id}", Role.OWNER, path_parameters={"id": made["id"]}),
    )
    off = {"timeOff": [{"start": closure["start"], "end": closure["end"], "reason": "bench"}]}
    measure(
        "PUT /professionals/{id}/time-off (dentist, own)",
        f"1 read + 1 query + 1 write {GATE}",
        only("BatchGetItem", "GetItem", "Query(gsi2)", "PutItem"),
        partial(
            invoke, "PUT", "/professionals/{id}/time-off", Role.DENTIST, body=off, path_parameters={"id": PRO}
        ),
    )

    for action in ("disable", "enable"):
        measure(
            f"POST /users/{{id}}/{action}",
            FOLDED_WRITE,
            only("BatchGetItem", "TransactWriteItems"),
            partial(invoke, "POST", f"/users/{{id}}/{action}", Role.RECEPTION, **patient),
        )
