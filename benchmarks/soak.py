"""Soak: the devstack under mixed traffic for a bounded time, then the books are checked.

The dev program is deployed onto the emulator and served as ``bookingctl local up``
does (``devstack.up.start_devstack``), with two deliberate changes: SES's sandbox
allow-list also holds the second tenant's users (so their mail reaches the outbox too),
and the throttling is lifted (the soak measures the platform, not the stage's rate
limit). A second tenant is seeded through the seed helpers (``devstack.seed``: the
catalog and user services, as ``bookingctl seed`` does), from the demo seed under
other ids, emails and time zone.

Then ``--clients`` threads, in a process of their own, mix availability reads,
creates, reschedules, cancels and lists by every role of both tenants for
``--seconds`` (``benchmarks._soak_traffic``). Afterwards:

- the error rate (answers >= 500, or none at all) against the goal of under 1 %, and
  the latency percentiles per operation;
- the lock-cell integrity check over the whole table (``booking.adapters.integrity``);
- every booking got its emails exactly once: for each version the API confirmed, one
  email of the right kind whose calendar invitation carries that version as its
  ``SEQUENCE`` (read from the devstack's outbox once the stream has drained).

    PYTHONPATH=.:lambdas python -m benchmarks.soak [--seconds 300] [--clients 4] [--json FILE]

Exit status 0 when all three checks pass.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from booking.adapters.dynamodb_table import DynamoTable
from booking.adapters.integrity import IntegrityReport, check_integrity

from benchmarks._soak_mail import EmailCheck, check_emails
from benchmarks._soak_traffic import CREATE, Actor, Plan, Sample, TenantPlan, TrafficResult, run_traffic
from devstack.access import sign_in
from devstack.configuration import sandbox_overrides
from devstack.gateway.model import Throttle
from devstack.outputs import DemoUser, DevstackOutputs
from devstack.seed import Seed, load_seed
from devstack.seed.apply import apply_seed
from devstack.up import UpOptions, start_devstack

GOAL_ERROR_RATE = 0.01
EMAIL_PROBLEMS = ("missing", "duplicated", "unexpected", "unexplained")
MOVES = ("reschedule", "cancellation")  # the changes after a creation, by their email's kind
UNTHROTTLED = Throttle(rate_limit=1_000_000.0, burst_limit=1_000_000)
SECOND_TENANT = "second-clinic"
CONTAINERS_PER_FUNCTION = 4  # the devstack's pool size (FunctionRuntime's default)


def second_tenant_seed(demo: Seed) -> Seed:
    """The demo clinic again under other ids and emails, in another time zone, with
    passwords made up for this run."""
    text = demo.model_dump_json(by_alias=True).replace("demo-clinic", SECOND_TENANT)
    data = json.loads(text)
    data["tenant"] |= {"name": "Segunda Clínica (soak)", "timeZone": "Europe/Madrid", "locale": "es-ES"}
    for user in data["users"]:
        user["password"] = f"Soak-{secrets.token_hex(6)}-2026!"
    return Seed.model_validate(data)


def tenant_plan(outputs: DevstackOutputs, seed: Seed, users: list[DemoUser]) -> TenantPlan:
    actors = tuple(Actor(user.role, sign_in(outputs, user.email, user.password).id_token) for user in users)
    patient = next(user for user in users if user.role == "Patient")
    bookables = tuple(
        (professional.id, treatment_id)
        for professional in seed.professionals
        for treatment_id in professional.treatment_ids
    )
    return TenantPlan(seed.tenant.id, seed.tenant.time_zone, patient.user_id, bookables, actors)


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    if not ordered:
        return {}

    def at(fraction: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))], 1)

    return {"p50": at(0.5), "p90": at(0.9), "p99": at(0.99), "max": round(ordered[-1], 1)}


def unanswered_creates(samples: list[Sample]) -> int:
    return sum(1 for sample in samples if sample.operation == CREATE and sample.unanswered)


def summary(
    traffic: TrafficResult, emails: EmailCheck, integrity: IntegrityReport, args: argparse.Namespace
) -> dict[str, Any]:
    samples = traffic.samples
    changes = Counter(kind for booking in traffic.bookings for kind, _ in booking.expected_emails)
    errors = [sample for sample in samples if sample.unanswered]
    operations: dict[str, Any] = {}
    for name in sorted({sample.operation for sample in samples}):
        mine = [sample for sample in samples if sample.operation == name]
        statuses: dict[str, int] = {}
        for sample in mine:
            statuses[str(sample.status)] = statuses.get(str(sample.status), 0) + 1
        operations[name] = {
            "count": len(mine),
            "statuses": statuses,
            "latency_ms": percentiles([sample.milliseconds for sample in mine]),
        }
    return {
        "seconds": args.seconds,
        "clients": args.clients,
        "wall_seconds": round(traffic.wall_seconds, 1),
        "requests": len(samples),
        "requests_per_second": round(len(samples) / traffic.wall_seconds, 1),
        "errors_5xx": len(errors),
        "error_rate": len(errors) / len(samples) if samples else 1.0,
        "tenants_and_roles": sorted({f"{sample.tenant_id}:{sample.role}" for sample in samples}),
        "operations": operations,
        "bookings": {"created": len(traffic.bookings), **{kind: changes[kind] for kind in MOVES}},
        "integrity": {
            "ok": integrity.ok,
            "bookings_checked": integrity.bookings_checked,
            "locks_checked": integrity.locks_checked,
            "problems": integrity.problems[:20],
        },
        "emails": emails.as_dict(),
    }


def print_report(result: dict[str, Any]) -> None:
    print(
        f"soak: {result['seconds']:.0f} s, {result['clients']} clients, {result['requests']} requests "
        f"({result['requests_per_second']} req/s), {len(result['tenants_and_roles'])} tenant roles"
    )
    print(f"{'operation':24} {'count':>6} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8}  statuses")
    for name, figures in result["operations"].items():
        latency = figures["latency_ms"]
        print(
            f"{name:24} {figures['count']:6d} {latency['p50']:8.0f} {latency['p90']:8.0f} "
            f"{latency['p99']:8.0f} {latency['max']:8.0f}  {figures['statuses']}"
        )
    rate = result["error_rate"]
    print(f"5xx (or no answer): {result['errors_5xx']} = {rate:.2%} (goal < {GOAL_ERROR_RATE:.0%})")
    print(f"bookings: {result['bookings']}")
    integrity = result["integrity"]
    print(
        f"integrity: {'clean' if integrity['ok'] else 'PROBLEMS'} ({integrity['bookings_checked']} bookings, "
        f"{integrity['locks_checked']} locks) {integrity['problems'] or ''}"
    )
    emails = result["emails"]
    problems = ", ".join(f"{name} {len(emails[name])}" for name in EMAIL_PROBLEMS)
    print(f"emails: {emails['expected']} expected, {emails['received']} in the outbox; {problems}")


def passed(result: dict[str, Any]) -> bool:
    emails = result["emails"]
    exactly_once = not any(emails[problem] for problem in EMAIL_PROBLEMS)
    return result["error_rate"] < GOAL_ERROR_RATE and result["integrity"]["ok"] and exactly_once


@contextmanager
def functions_output(path: Path) -> Iterator[None]:
    """The devstack's function containers write their logs to this process's standard
    output, which is the report's: send them to ``path`` while the devstack runs."""
    sys.stdout.flush()
    saved = os.dup(1)
    with path.open("ab") as log:
        os.dup2(log.fileno(), 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _progress(text: str) -> None:
    print(text.splitlines()[0], file=sys.stderr, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=300.0, help="how long the traffic runs (300)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (4)")
    parser.add_argument("--seed", type=int, default=1, help="of the clients' random choices")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--logs", type=Path, default=Path(os.devnull), help="the functions' logs (discarded)")
    args = parser.parse_args()
    demo = load_seed()
    second = second_tenant_seed(demo)
    everyone = [user.email for user in (*demo.users, *second.users)]
    with tempfile.TemporaryDirectory(prefix="soak-") as scratch:
        options = UpOptions(
            stack="dev",
            port=0,
            state_dir=Path(scratch) / ".devstack",
            config_overrides=sandbox_overrides("dev", everyone),
            throttle=UNTHROTTLED,
        )
        with functions_output(args.logs), start_devstack(options, printer=_progress) as devstack:
            outputs = devstack.outputs
            dynamodb = outputs.client("dynamodb")
            report = apply_seed(
                second,
                table_name=outputs.table_name,
                user_pool_id=outputs.user_pool_id,
                dynamodb=dynamodb,
                cognito=outputs.client("cognito-idp"),
            )
            tenants = (
                tenant_plan(outputs, demo, list(outputs.demo_users)),
                tenant_plan(outputs, second, report.demo_users),
            )
            plan = Plan(outputs.api_url, tenants, args.seconds, args.clients, args.seed)
            # Steady state: as many warm containers per function as there are clients.
            devstack.gateway.runtime.warm(containers=min(args.clients, CONTAINERS_PER_FUNCTION))
            print(f"traffic for {args.seconds:.0f} s from {args.clients} clients …", file=sys.stderr)
            traffic = run_traffic(plan)
            emails = check_emails(outputs.outbox, traffic.bookings, unanswered_creates(traffic.samples))
            integrity = check_integrity(DynamoTable(outputs.table_name, client=dynamodb))
    result = summary(traffic, emails, integrity, args)
    print_report(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0 if passed(result) else 1


if __name__ == "__main__":
    raise SystemExit(main())
