"""DynamoDB requests per API operation, counted with a botocore event hook.

Each operation is a real Lambda invocation: an API Gateway HTTP API (payload 2.0)
event with the JWT claims, handed to the packaged handler, which builds its adapters
from its settings as in Lambda. A ``provide-client-params.dynamodb`` hook registered on
boto3's default session (clients copy it when the adapters create theirs) records
every request, with the index for a query on a GSI. The table is moto's (in-process),
holding a clinic with 200 existing bookings over 31 days.

Targets (issue 2): create = one transaction plus at most two reads; availability = at
most three requests for any range; list = one query per page. Since issue 10 every
authenticated request is admitted by the access gate (the caller's record and their
tenant's profile, one BatchGetItem): an operation that reads a context anyway (a
booking, availability) reads the gate's items in that same request; any other pays
that one read, shown in the breakdown (``_dynamodb_operations`` measures issue 10's
operations, ``_dynamodb_triggers`` the user pool's sign-up triggers).

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
from datetime import datetime, time, timedelta
from functools import partial
from typing import Any

ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "STAGE": "bench",
    "APP_VERSION": "0.0.0-bench",  # the catalogs function answers it on GET /health
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
from booking.domain.roles import Role  # noqa: E402
from booking.routes import find_route  # noqa: E402
from moto import mock_aws  # noqa: E402

from benchmarks._dynamodb_clinic import FIRST_DAY, PRO, SUBS, TENANT, TREATMENT, ZONE, email_of, seed  # noqa: E402
from benchmarks._dynamodb_operations import GATE, measure_clinic_operations  # noqa: E402
from benchmarks._dynamodb_triggers import measure_sign_up, seed_open_clinic  # noqa: E402
from tests.aws import create_table, create_user_pool  # noqa: E402
from tests.lambdas.events import LambdaContext, claims, http_event  # noqa: E402


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


def run() -> list[Result]:
    boto3.setup_default_session()
    create_table(boto3.client("dynamodb"), ENVIRONMENT["TABLE_NAME"])
    seed(boto3.client("dynamodb"), ENVIRONMENT["TABLE_NAME"])
    seed_open_clinic(ENVIRONMENT["TABLE_NAME"])
    # The users function disables and enables identities of a real (emulated) pool.
    cognito = boto3.client("cognito-idp")
    os.environ["USER_POOL_ID"] = create_user_pool(cognito)
    for role in SUBS:
        cognito.admin_create_user(
            UserPoolId=os.environ["USER_POOL_ID"], Username=email_of(role), MessageAction="SUPPRESS"
        )
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
        "1 read (the gate folded in)",
        lambda calls: calls == ["BatchGetItem"],
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
        f"1 query {GATE}",
        lambda calls: calls == ["BatchGetItem", "Query"],
        lambda: invoke("GET", "/professionals", Role.PATIENT),
    )
    measure(
        "GET /users (one page)",
        f"1 query per page {GATE}",
        lambda calls: calls == ["BatchGetItem", "Query"],
        lambda: invoke("GET", "/users", Role.OWNER),
    )
    measure_clinic_operations(measure, invoke, free)
    measure_sign_up(measure, cognito, os.environ["USER_POOL_ID"])
    return results


TARGET_WIDTH = 38


def main() -> int:
    with mock_aws():
        results = run()
    width = max(len(result.operation) for result in results)
    print(f"{'operation':<{width}}  requests  {'target':<{TARGET_WIDTH}} met  breakdown")
    for result in results:
        mark = "yes" if result.met else "NO"
        requests = len(result.calls)
        target = f"{result.target:<{TARGET_WIDTH}}"
        print(f"{result.operation:<{width}}  {requests:>8}  {target} {mark:<4} {result.breakdown}")
    missed = [result.operation for result in results if not result.met]
    print(f"\n{len(results) - len(missed)}/{len(results)} operations meet their target")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
