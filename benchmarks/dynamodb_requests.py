"""DynamoDB requests per API operation, counted with a botocore event hook.

Each operation is a real Lambda invocation: an API Gateway HTTP API (payload 2.0)
event with the JWT claims, handed to the packaged handler, which builds its adapters
from its settings as in Lambda. A ``provide-client-params.dynamodb`` hook registered on
boto3's default session (clients copy it when the adapters create theirs) records
every request, with the index for a query on a GSI. The table is moto's (in-process),
holding a clinic with 200 existing bookings over 31 days.

Targets (issue 2): create = one transaction plus at most two reads; availability = at
most three requests for any range; list = one query per page.

    PYTHONPATH=.:lambdas python -m benchmarks.dynamodb_requests
"""

from __future__ import annotations

import importlib
import io
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "STAGE": "bench",
    "TABLE_NAME": "bench",
    "USER_POOL_ID": "us-east-1_bench",
    "POWERTOOLS_SERVICE_NAME": "booking",
    "POWERTOOLS_METRICS_NAMESPACE": "Bench",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_DISABLED": "true",
    "LOG_LEVEL": "ERROR",
}
os.environ.update(ENVIRONMENT)
os.environ.pop("AWS_ENDPOINT_URL", None)
os.environ.pop("AWS_PROFILE", None)

import boto3  # noqa: E402  (after the environment the handlers read)
from booking import bootstrap  # noqa: E402
from booking.adapters import dynamodb_items as items  # noqa: E402
from booking.domain.cells import cells_for  # noqa: E402
from booking.domain.models import (  # noqa: E402
    Booking,
    Professional,
    Tenant,
    TenantPolicy,
    TimeRange,
    Treatment,
    User,
    WeeklySchedule,
)
from booking.domain.roles import Role  # noqa: E402
from booking.routes import find_route  # noqa: E402
from moto import mock_aws  # noqa: E402

from tests.aws import create_table  # noqa: E402
from tests.lambdas.events import LambdaContext, claims, http_event  # noqa: E402

TENANT = "bench"
PRO = "pro-1"
TREATMENT = "cleaning"
ZONE = ZoneInfo("America/New_York")
# The handlers run on the real clock: the clinic's month starts on the first Monday at
# least two days ahead (beyond the minimum notice, within the booking horizon).
FIRST_DAY = date.today() + timedelta(days=2)
FIRST_DAY += timedelta(days=-FIRST_DAY.weekday() % 7)
EXISTING_BOOKINGS = 200
SUBS = {Role.PATIENT: "patient", Role.DENTIST: "dentist", Role.OWNER: "owner", Role.RECEPTION: "reception"}


class RequestCounter:
    """Records the DynamoDB requests sent while ``measuring``: the operation name, with
    the index for a query on a GSI (``Query(gsi2)``)."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self._on = False

    def __call__(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        if self._on:
            index = params.get("IndexName")
            self.calls.append(f"{model.name}({index})" if index else model.name)

    @contextmanager
    def measuring(self) -> Iterator[list[str]]:
        self.calls = []
        self._on = True
        try:
            yield self.calls
        finally:
            self._on = False


@dataclass(frozen=True)
class Result:
    operation: str
    calls: list[str]
    target: str
    met: bool

    @property
    def breakdown(self) -> str:
        return ", ".join(f"{name} x{number}" for name, number in Counter(self.calls).items())


def invoke(
    method: str, path: str, role: Role, *, body: Any = None, query: dict[str, str] | None = None, **extra: Any
) -> Any:
    """One Lambda invocation of the route's function; the decoded answer (raises on >= 400)."""
    route = find_route(method, path)
    event = http_event(route, token_claims=claims(role, TENANT, SUBS[role]), body=body, query=query, **extra)
    module = importlib.import_module(f"booking.handlers.{route.function}")
    with redirect_stdout(io.StringIO()):  # Powertools' JSON logs and metrics
        response = module.handler(event, LambdaContext())
    answer = json.loads(response.get("body") or "null")
    if response["statusCode"] >= 400:
        raise RuntimeError(f"{method} {path} -> {response['statusCode']}: {answer}")
    return answer


def seed(client: Any) -> None:
    """The clinic, written straight to the table (not counted)."""
    hours = [TimeRange(start=time(8), end=time(18))]
    weekdays = ("monday", "tuesday", "wednesday", "thursday", "friday")
    entities: list[Any] = [
        items.tenant_item(
            Tenant(
                id=TENANT, name="Bench clinic", time_zone=ZONE.key, policy=TenantPolicy(change_window_hours=0)
            )
        ),
        items.treatment_item(
            Treatment(
                id=TREATMENT,
                tenant_id=TENANT,
                name="Cleaning",
                duration_minutes=30,
                buffer_before_minutes=5,
                buffer_after_minutes=10,
            )
        ),
        items.professional_item(
            Professional(
                id=PRO,
                tenant_id=TENANT,
                name="Dr. Bench",
                working_hours=WeeklySchedule(**dict.fromkeys(weekdays, hours)),
                treatment_ids=[TREATMENT],
                user_id=SUBS[Role.DENTIST],
            )
        ),
    ]
    entities += [
        items.user_item(User(id=sub, tenant_id=TENANT, email=f"{sub}@example.com", role=role))
        for role, sub in SUBS.items()
    ]
    # 200 bookings, 45 minutes apart from 08:15 on every working day (6 a day, 34 days),
    # leaving 13:00-18:00 of each day free for the operations below.
    now = datetime.now(UTC)
    day, slot = FIRST_DAY, 0
    for number in range(EXISTING_BOOKINGS):
        while day.weekday() > 4:
            day += timedelta(days=1)
        start = datetime.combine(day, time(8, 15), tzinfo=ZONE) + timedelta(minutes=45 * slot)
        booking = Booking(
            id=f"seed{number:03d}",
            tenant_id=TENANT,
            professional_id=PRO,
            treatment_id=TREATMENT,
            patient_id=SUBS[Role.PATIENT],
            start=start,
            end=start + timedelta(minutes=30),
            blocked_start=start - timedelta(minutes=5),
            blocked_end=start + timedelta(minutes=40),
            created_by=SUBS[Role.PATIENT],
            created_at=now,
            updated_at=now,
        )
        entities.append(items.booking_item(booking))
        entities += [
            items.lock_item(cell, booking.id)
            for cell in cells_for(TENANT, PRO, booking.blocked_start, booking.blocked_end)
        ]
        slot += 1
        if slot == 6:
            day, slot = day + timedelta(days=1), 0
    # BatchWriteItem, not the repository: moto copies the whole table for every
    # transaction, which would make seeding quadratic.
    for chunk in range(0, len(entities), 25):
        batch = [{"PutRequest": {"Item": item}} for item in entities[chunk : chunk + 25]]
        client.batch_write_item(RequestItems={ENVIRONMENT["TABLE_NAME"]: batch})


def run() -> list[Result]:
    boto3.setup_default_session()
    create_table(boto3.client("dynamodb"), ENVIRONMENT["TABLE_NAME"])
    seed(boto3.client("dynamodb"))
    counter = RequestCounter()
    boto3.DEFAULT_SESSION.events.register("provide-client-params.dynamodb", counter)  # type: ignore[union-attr]
    bootstrap.reset()
    results: list[Result] = []

    def measure(
        operation: str, target: str, check: Callable[[list[str]], bool], action: Callable[[], Any]
    ) -> Any:
        with counter.measuring() as calls:
            answer = action()
        results.append(Result(operation, list(calls), target, check(calls)))
        return answer

    def create_target(calls: list[str]) -> bool:
        return calls.count("TransactWriteItems") == 1 and len(calls) - 1 <= 2

    # Warm each function once (the first request builds its adapters and client).
    invoke("GET", "/tenant", Role.PATIENT)
    invoke("GET", "/bookings", Role.OWNER, query={"limit": "1"})
    invoke("GET", "/users", Role.OWNER, query={"limit": "1"})
    day = FIRST_DAY.isoformat()
    invoke(
        "GET",
        "/availability",
        Role.PATIENT,
        query={"professionalId": PRO, "treatmentId": TREATMENT, "from": day, "to": day},
    )

    free = datetime.combine(FIRST_DAY, time(14), tzinfo=ZONE)
    body = {"professionalId": PRO, "treatmentId": TREATMENT, "start": free.isoformat()}
    created = measure(
        "POST /bookings (patient)",
        "1 transaction + <= 2 reads",
        create_target,
        lambda: invoke("POST", "/bookings", Role.PATIENT, body=body, headers={"idempotency-key": "bench-1"}),
    )
    measure(
        "POST /bookings (reception, for a patient)",
        "1 transaction + <= 2 reads",
        create_target,
        lambda: invoke(
            "POST",
            "/bookings",
            Role.RECEPTION,
            body={**body, "start": (free + timedelta(hours=1)).isoformat(), "patientId": SUBS[Role.PATIENT]},
            headers={"idempotency-key": "bench-2"},
        ),
    )
    measure(
        "POST /bookings (replay of the same key and body)",
        "(informative)",
        lambda calls: True,
        lambda: invoke("POST", "/bookings", Role.PATIENT, body=body, headers={"idempotency-key": "bench-1"}),
    )
    booking_path = {"path_parameters": {"id": created["id"]}}
    measure(
        "GET /bookings/{id}",
        "1 read",
        lambda calls: calls == ["GetItem"],
        lambda: invoke("GET", "/bookings/{id}", Role.PATIENT, **booking_path),
    )

    def list_all(role: Role, limit: int) -> int:
        pages, cursor = 0, None
        while True:
            query = {"limit": str(limit), **({"cursor": cursor} if cursor else {})}
            cursor = invoke("GET", "/bookings", role, query=query)["nextCursor"]
            pages += 1
            if cursor is None:
                return pages

    for label, role, limit in (
        ("GET /bookings (owner, all 202, 50 a page)", Role.OWNER, 50),
        ("GET /bookings (patient, own 202, 50 a page)", Role.PATIENT, 50),
        ("GET /bookings (dentist, own calendar, 100 a page)", Role.DENTIST, 100),
    ):
        with counter.measuring() as calls:
            pages = list_all(role, limit)
        booking_queries = sum(call.startswith("Query(gsi") for call in calls)
        results.append(
            Result(
                f"{label}: {pages} pages", list(calls), "1 bookings query per page", booking_queries == pages
            )
        )

    measure(
        "PUT /bookings/{id} (reschedule, overlapping itself)",
        "1 transaction + reads",
        lambda calls: calls.count("TransactWriteItems") == 1,
        lambda: invoke(
            "PUT",
            "/bookings/{id}",
            Role.PATIENT,
            body={"start": (free + timedelta(minutes=15)).isoformat()},
            **booking_path,
        ),
    )
    measure(
        "DELETE /bookings/{id} (cancel)",
        "1 transaction + reads",
        lambda calls: calls.count("TransactWriteItems") == 1,
        lambda: invoke("DELETE", "/bookings/{id}", Role.PATIENT, body={"reason": "bench"}, **booking_path),
    )
    for days in (1, 7, 31):
        window = {"from": day, "to": (FIRST_DAY + timedelta(days=days - 1)).isoformat()}
        query = {"professionalId": PRO, "treatmentId": TREATMENT, **window}
        answer = measure(
            f"GET /availability ({days} day{'s' if days > 1 else ''}, 200 bookings)",
            "<= 3 requests",
            lambda calls: len(calls) <= 3,
            partial(invoke, "GET", "/availability", Role.PATIENT, query=query),
        )
        last = results[-1]
        results[-1] = Result(
            f"{last.operation}: {len(answer['slots'])} slots", last.calls, last.target, last.met
        )
    measure(
        "GET /professionals",
        "1 query",
        lambda calls: calls == ["Query"],
        lambda: invoke("GET", "/professionals", Role.PATIENT),
    )
    measure(
        "GET /users (one page)",
        "1 query per page",
        lambda calls: calls == ["Query"],
        lambda: invoke("GET", "/users", Role.OWNER),
    )
    return results


def main() -> int:
    with mock_aws():
        results = run()
    width = max(len(result.operation) for result in results)
    print(f"{'operation':<{width}}  requests  {'target':<27} met  breakdown")
    for result in results:
        mark = "yes" if result.met else "NO"
        requests = len(result.calls)
        print(f"{result.operation:<{width}}  {requests:>8}  {result.target:<27} {mark:<4} {result.breakdown}")
    missed = [result.operation for result in results if not result.met]
    print(f"\n{len(results) - len(missed)}/{len(results)} operations meet their target")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
