"""The devstack gateway's overhead: ``GET /availability`` and ``POST /bookings`` over
HTTP (gateway: routing, JWT check, payload 2.0 event, worker process) against calling
the same handler in-process with the same event, at 1, 8 and 32 concurrent clients.

The deployment is the real dev program on the emulator with the demo seed, started as
``bookingctl local up`` starts it (``devstack.up.start_devstack``), with two deliberate
changes: the stage and route throttling are lifted, because the dev stage's 10 requests
per second would measure the throttle, not the gateway; and the event pumps are off,
so that only the requests measured run. Both sides use the same emulator, so DynamoDB's cost
is in both and the ratio is what the gateway adds.

The load comes from a process of its own on both sides (threads, one per client), so
neither side's clients compete with the emulator and the gateway for the same
interpreter lock. Every container the gateway may use (4 per function) is started
before timing: cold starts are not what is measured.

Run: ``python -m benchmarks.gateway`` (about two minutes on two cores).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import sys
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import requests

from benchmarks._in_process import baseline, event_for
from benchmarks._load import Request_, Run, abba, over_http
from devstack.access import sign_in
from devstack.functions import EmulatorEnvironment, LambdaFunction
from devstack.gateway.authorizer import JwtVerifier, emulator_jwks_resolver
from devstack.gateway.model import ServedApi, ServedRoute, Throttle
from devstack.up import RunningDevstack, UpOptions, start_devstack

CLIENTS = (1, 8, 32)
# Fewer bookings than reads: moto deep-copies a table on every TransactWriteItems, so
# each booking costs more as the table grows (the same for both sides, see ``abba``).
REQUESTS = {"GET /availability": {1: 40, 8: 160, 32: 320}, "POST /bookings": {1: 12, 8: 24, 32: 32}}
# The devstack's pool size per function (``FunctionRuntime``'s default).
WORKERS_PER_FUNCTION = 4
UNTHROTTLED = Throttle(rate_limit=1_000_000.0, burst_limit=1_000_000)


def _http_side(base_url: str, clients: int, workload: list[Request_]) -> Run:
    return over_http(base_url, workload, clients)


def _local_side(
    api: ServedApi,
    route: ServedRoute,
    verifier: JwtVerifier,
    function: LambdaFunction,
    environment: EmulatorEnvironment,
    clients: int,
    workload: list[Request_],
) -> Run:
    events = [event_for(api, route, request, verifier) for request in workload]
    return baseline(function, environment, events, clients)


def _free_starts(
    base_url: str, token: str, time_zone: str
) -> tuple[list[Request_], list[tuple[str, str, str]]]:
    """Availability requests of every professional and treatment, and the free starts they return."""
    headers = {"Authorization": f"Bearer {token}"}
    today = dt.datetime.now(ZoneInfo(time_zone)).date()
    professionals = requests.get(f"{base_url}/professionals", headers=headers, timeout=30).json()["items"]
    queries: list[Request_] = []
    starts: list[tuple[str, str, str]] = []
    for professional in professionals:
        for treatment_id in professional["treatmentIds"]:
            for first in (2, 30):
                params = {
                    "professionalId": professional["id"],
                    "treatmentId": treatment_id,
                    "from": (today + dt.timedelta(days=first)).isoformat(),
                    "to": (today + dt.timedelta(days=first + 27)).isoformat(),
                }
                queries.append(Request_("GET", "/availability", params, None, headers))
                answer = requests.get(f"{base_url}/availability", params=params, headers=headers, timeout=60)
                starts += [
                    (professional["id"], treatment_id, slot["start"]) for slot in answer.json()["slots"]
                ]
    return queries, starts


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-gateway-") as scratch:
        options = UpOptions(
            stack="dev", port=0, state_dir=Path(scratch) / ".devstack", pumps=False, throttle=UNTHROTTLED
        )
        with start_devstack(options, printer=lambda _text: None) as devstack:
            return _measure(devstack)


def _measure(devstack: RunningDevstack) -> int:
    outputs = devstack.outputs
    api = devstack.gateway.api
    runtime = devstack.gateway.runtime
    url = devstack.gateway.url
    environment = EmulatorEnvironment(outputs.aws_endpoint_url, outputs.region)
    resolver = emulator_jwks_resolver(outputs.aws_endpoint_url)
    reception = outputs.demo_user_with_role("Reception")
    patient = outputs.demo_user_with_role("Patient")
    token = sign_in(outputs, reception.email).id_token
    # Every container the pool may use is started first: cold starts are not the overhead.
    runtime.warm(containers=WORKERS_PER_FUNCTION)
    time_zone = requests.get(
        f"{url}/tenant", headers={"Authorization": f"Bearer {token}"}, timeout=30
    ).json()["timeZone"]
    availability_requests, starts = _free_starts(url, token, time_zone)
    # Non-overlapping starts are not needed: a 409 walks the same path (reads, then a
    # cancelled transaction) and both sides get the same mix.
    bookings = (
        Request_(
            "POST",
            "/bookings",
            {},
            {
                "professionalId": professional,
                "treatmentId": treatment,
                "start": start,
                "patientId": patient.user_id,
            },
            {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex},
        )
        for professional, treatment, start in itertools.islice(itertools.cycle(starts[::3]), 10**6)
    )
    route_of = {
        "GET /availability": api.route("GET /availability"),
        "POST /bookings": api.route("POST /bookings"),
    }
    authorizer = route_of["POST /bookings"].authorizer
    assert authorizer is not None, "POST /bookings is declared with the JWT authorizer"
    verifier = JwtVerifier(authorizer, resolver(authorizer.issuer))

    def availability_source(count: int) -> list[Request_]:
        return list(itertools.islice(itertools.cycle(availability_requests), count))

    def bookings_source(count: int) -> list[Request_]:
        return list(itertools.islice(bookings, count))

    rows = []
    sources: tuple[tuple[str, Callable[[int], list[Request_]]], ...] = (
        ("GET /availability", availability_source),
        ("POST /bookings", bookings_source),
    )
    for route_key, source in sources:
        route = route_of[route_key]
        function = runtime.function(route.function.name)
        for clients in CLIENTS:
            half = REQUESTS[route_key][clients] // 2
            http_half = functools.partial(_http_side, url, clients)
            local_half = functools.partial(_local_side, api, route, verifier, function, environment, clients)
            http_run, local_run = abba(http_half, local_half, source, half)
            rows.append((route_key, clients, http_run, local_run))
            print(f"{route_key} x{clients}: {_row(route_key, clients, http_run, local_run)}", flush=True)

    print(
        "\n| route | clients | HTTP req/s | in-process req/s | throughput ratio | HTTP p50 / p99 ms "
        "| in-process p50 / p99 ms | p50 overhead | statuses (HTTP; in-process) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for route_key, clients, http_run, local_run in rows:
        print(_row(route_key, clients, http_run, local_run))
    return 0


def _row(route_key: str, clients: int, http_run: Run, local_run: Run) -> str:
    def statuses(run: Run) -> str:
        return " ".join(f"{status}x{count}" for status, count in sorted(run.statuses.items()))

    return (
        f"| `{route_key}` | {clients} | {http_run.throughput:.1f} | {local_run.throughput:.1f} "
        f"| {http_run.throughput / local_run.throughput:.2f} "
        f"| {http_run.percentile(0.5):.1f} / {http_run.percentile(0.99):.1f} "
        f"| {local_run.percentile(0.5):.1f} / {local_run.percentile(0.99):.1f} "
        f"| +{http_run.percentile(0.5) - local_run.percentile(0.5):.1f} ms "
        f"({http_run.percentile(0.5) / local_run.percentile(0.5):.2f}x) "
        f"| {statuses(http_run)}; {statuses(local_run)} |"
    )


if __name__ == "__main__":
    sys.exit(main())
