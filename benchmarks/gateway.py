"""The devstack gateway's overhead: ``GET /availability`` and ``POST /bookings`` over
HTTP (gateway: routing, JWT check, payload 2.0 event, worker process) against calling
the same handler in-process with the same event, at 1, 8 and 32 concurrent clients.

The deployment is the real dev program on the emulator with the demo seed, as
``bookingctl local up`` makes it, with one deliberate change: the stage and route
throttling are lifted, because the dev stage's 10 requests per second would measure
the throttle, not the gateway. Both sides use the same emulator, so DynamoDB's cost
is in both and the ratio is what the gateway adds.

The load comes from a process of its own on both sides (threads, one per client), so
neither side's clients compete with the emulator and the gateway for the same
interpreter lock. Every container the gateway may use (4 per function) is started
before timing: cold starts are not what is measured.

Run: ``python -m benchmarks.gateway`` (about two minutes on two cores).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import itertools
import multiprocessing
import os
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from zoneinfo import ZoneInfo

import requests
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from devstack.adapters.base import EmulatorContext
from devstack.backend import EmulatorBackend
from devstack.emulator import Emulator
from devstack.functions import EmulatorEnvironment, FunctionRuntime
from devstack.functions.context import LambdaContext
from devstack.functions.definitions import LambdaFunction
from devstack.functions.environment import worker_environment
from devstack.functions.worker import load_handler, use_task_root
from devstack.gateway.app import Gateway
from devstack.gateway.authorizer import JwtVerifier, bearer_token, emulator_jwks_resolver
from devstack.gateway.events import EventInputs, build_event, new_request_id
from devstack.gateway.model import ServedApi, ServedRoute, Throttle, build_served_api
from devstack.gateway.serving import GatewayServer
from stacks.engine import run_program

CLIENTS = (1, 8, 32)
# Fewer bookings than reads: moto deep-copies a table on every TransactWriteItems, so
# each booking costs more as the table grows (the same for both sides, see ``_abba``).
REQUESTS = {"GET /availability": {1: 40, 8: 160, 32: 320}, "POST /bookings": {1: 12, 8: 24, 32: 32}}
WORKERS_PER_FUNCTION = 4
UNTHROTTLED = Throttle(rate_limit=1_000_000.0, burst_limit=1_000_000)


@dataclasses.dataclass(frozen=True)
class Request_:
    """One HTTP request of the workload (method, path, query, body, headers)."""

    method: str
    path: str
    params: dict[str, str]
    body: dict[str, Any] | None
    headers: dict[str, str]


@dataclasses.dataclass(frozen=True)
class Run:
    latencies_ms: list[float]
    wall_seconds: float
    statuses: Counter[int]

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.wall_seconds

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _timed(work: Callable[[Any], int], items: list[Any], clients: int) -> Run:
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    feed: Iterator[Any] = iter(items)

    def client() -> None:
        while True:
            with lock:
                item = next(feed, None)
            if item is None:
                return
            started = time.perf_counter()
            status = work(item)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for _ in range(clients):
            pool.submit(client)
    return Run(latencies, time.perf_counter() - started, statuses)


# --- in-process baseline: the handler called directly, in a process of its own -------


def _in_process(
    function: LambdaFunction, environment: dict[str, str], events: list[dict[str, Any]], clients: int
) -> Run:
    os.environ.clear()
    os.environ.update(environment)
    if function.code_path:
        use_task_root(function.code_path)
    handler = load_handler(function.handler)

    def call(event: dict[str, Any]) -> int:
        context = LambdaContext(
            function_name=function.name,
            invoked_function_arn=function.arn,
            memory_limit_in_mb=function.memory_mb,
            aws_request_id=str(uuid.uuid4()),
            log_group_name=function.log_group_name,
            log_stream_name="benchmark",
            deadline_epoch_ms=int((time.time() + function.timeout_seconds) * 1000),
        )
        return int(handler(event, context)["statusCode"])

    call(events[0])  # the cold start is not what is measured
    return _timed(call, events[1:], clients)


def baseline(
    runtime_function: LambdaFunction,
    emulator: EmulatorEnvironment,
    events: list[dict[str, Any]],
    clients: int,
) -> Run:
    environment = worker_environment(runtime_function, emulator, "benchmark")
    if runtime_function.code_path:
        environment["LAMBDA_TASK_ROOT"] = runtime_function.code_path
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(_in_process, (runtime_function, environment, events, clients))


# --- over HTTP: the clients in a process of their own, as a browser or a test would be --


def _over_http(base_url: str, workload: list[Request_], clients: int) -> Run:
    sessions = threading.local()

    def call(request: Request_) -> int:
        session = getattr(sessions, "session", None) or requests.Session()
        sessions.session = session
        response = session.request(
            request.method,
            f"{base_url}{request.path}",
            params=request.params,
            json=request.body,
            headers=request.headers,
            timeout=120,
        )
        return response.status_code

    return _timed(call, workload, clients)


def over_http(base_url: str, workload: list[Request_], clients: int) -> Run:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_over_http, (base_url, workload, clients))


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
    events = [_event_for(api, route, request, verifier) for request in workload]
    return baseline(function, environment, events, clients)


def _merge(first: Run, second: Run) -> Run:
    return Run(
        first.latencies_ms + second.latencies_ms,
        first.wall_seconds + second.wall_seconds,
        first.statuses + second.statuses,
    )


def _abba(
    side_a: Callable[[list[Request_]], Run],
    side_b: Callable[[list[Request_]], Run],
    source: Callable[[int], list[Request_]],
    half: int,
) -> tuple[Run, Run]:
    """A, B, B, A: whatever drifts during the run (the table grows with every booking)
    weighs on both sides alike."""
    a1 = side_a(source(half))
    b1 = side_b(source(half + 1))
    b2 = side_b(source(half + 1))
    a2 = side_a(source(half))
    return _merge(a1, a2), _merge(b1, b2)


# --- the workload -----------------------------------------------------------------


def _event_for(
    api: ServedApi, route: ServedRoute, request: Request_, verifier: JwtVerifier
) -> dict[str, Any]:
    """The event the gateway would send for ``request`` (same builder, same claims)."""
    builder = EnvironBuilder(
        path=request.path,
        method=request.method,
        query_string=request.params,
        json=request.body,
        headers=list(request.headers.items()),
    )
    authorizer = verifier.verify(bearer_token(request.headers["Authorization"]))
    inputs = EventInputs(
        route_key=route.route_key,
        request_id=new_request_id(),
        api_id=api.api_id,
        stage=api.stage,
        account_id="123456789012",
        authorizer=authorizer,
    )
    return build_event(Request(builder.get_environ()), inputs)


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
    from devstack.seed import apply_seed, load_seed  # the demo tenant of `bookingctl local up`

    with Emulator(export_environment=False) as emulator:
        context = EmulatorContext(endpoint_url=emulator.endpoint_url, region=emulator.region)
        inventory = run_program("dev", EmulatorBackend(context))
        outputs = inventory.stack_outputs
        seeded = apply_seed(
            load_seed(),
            table_name=outputs["tableName"],
            user_pool_id=outputs["userPoolId"],
            dynamodb=context.client("dynamodb"),
            cognito=context.client("cognito-idp"),
        )
        served = build_served_api(inventory, region=emulator.region)
        api = dataclasses.replace(
            served, routes=tuple(dataclasses.replace(route, throttle=UNTHROTTLED) for route in served.routes)
        )
        environment = EmulatorEnvironment(emulator.endpoint_url, emulator.region)
        resolver = emulator_jwks_resolver(emulator.endpoint_url)
        with (
            FunctionRuntime(
                api.functions, environment, max_workers_per_function=WORKERS_PER_FUNCTION
            ) as runtime,
            GatewayServer(Gateway(api, runtime, resolver), port=0) as server,
        ):
            return _measure(api, runtime, server, environment, resolver, seeded, outputs)


def _measure(
    api: ServedApi,
    runtime: FunctionRuntime,
    server: GatewayServer,
    environment: EmulatorEnvironment,
    resolver: Callable[[str], str],
    seeded: Any,
    outputs: dict[str, Any],
) -> int:
    cognito = EmulatorContext(endpoint_url=environment.endpoint_url, region=environment.region).client(
        "cognito-idp"
    )
    reception = next(user for user in seeded.demo_users if user.role == "Reception")
    patient = next(user for user in seeded.demo_users if user.role == "Patient")
    token = cognito.admin_initiate_auth(
        UserPoolId=outputs["userPoolId"],
        ClientId=outputs["userPoolClientId"],
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": reception.email, "PASSWORD": reception.password},
    )["AuthenticationResult"]["IdToken"]
    # Every container the pool may use is started first: cold starts are not the overhead.
    runtime.warm(containers=WORKERS_PER_FUNCTION)
    time_zone = requests.get(
        f"{server.url}/tenant", headers={"Authorization": f"Bearer {token}"}, timeout=30
    ).json()["timeZone"]
    availability_requests, starts = _free_starts(server.url, token, time_zone)
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
            http_half = functools.partial(_http_side, server.url, clients)
            local_half = functools.partial(_local_side, api, route, verifier, function, environment, clients)
            http_run, local_run = _abba(http_half, local_half, source, half)
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
