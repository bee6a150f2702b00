"""Cold path: a function's import plus its first request, against a bare function that
sends the same AWS requests with plain boto3, each in a fresh interpreter.

moto's server runs once, on loopback, in this process, holding the clinic of
``benchmarks.dynamodb_requests`` (200 bookings); before every cold start its table is
put back as it was (not timed), so each start meets the same state. The functions run
from their code archive (built as ``bookingctl package`` builds it, email templates
compiled) unpacked as Lambda unpacks it, with the environment their settings model
writes, as deployed. For each function one first request
(``benchmarks._cold_stage.scenarios``):

1. a recording run of the real handler collects its AWS requests with botocore's
   ``provide-client-params`` hook (the one ``benchmarks.dynamodb_requests`` counts
   with); a recording run of the bare function replays them and is counted the same
   way, and the two lists must match;
2. timed runs, round-robin over the functions with the sides alternating: the real
   handler (``import`` + ``handler(event, context)``) and the bare function
   (``import boto3`` + the same requests), nothing else loaded before the clock starts.

The real handlers run as Lambda runs them with active tracing (``LAMBDA_TASK_ROOT``, a
sampled ``_X_AMZN_TRACE_ID``), their X-Ray segments going to a UDP socket of this
process: each timed run must deliver the DynamoDB subsegments of its requests, so the
figures include tracing. ``--untraced`` measures with ``POWERTOOLS_TRACE_DISABLED``;
``--origin-secret`` gives the API functions the origin secret to check, as qas and prd
do (the bare side replays the same ``GetSecretValue`` requests).

    PYTHONPATH=.:lambdas python -m benchmarks.cold_path [--runs 9] [--untraced] [--origin-secret]
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from booking.settings import FUNCTIONS

from benchmarks._cold_probe import encode
from benchmarks._cold_stage import (
    ACCOUNT,
    ROOT,
    Emulator,
    Scenario,
    XRayDaemon,
    dynamodb_subsegments,
    environment,
    scenarios,
    through_the_distribution,
    unpack_code_archive,
)
from devstack import moto_speedups, serialized_dynamodb
from tests.aws import REGION, running_moto_server

GOAL = 1.5
SIDES = ("real", "toolkit", "bare")


def probe(spec: dict[str, Any], env: dict[str, str], workdir: Path) -> dict[str, Any]:
    spec_path, result_path = workdir / "spec.json", workdir / "result.json"
    spec_path.write_text(json.dumps(encode(spec)))
    result_path.unlink(missing_ok=True)
    command = [sys.executable, "-m", "benchmarks._cold_probe", str(spec_path), str(result_path)]
    completed = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if completed.returncode or not result_path.exists():
        raise RuntimeError(f"probe failed ({completed.returncode}):\n{completed.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(result_path.read_text())
    return result


def breakdown(recorded: list[dict[str, Any]]) -> str:
    counts = Counter(f"{request['service']}:{request['operation']}" for request in recorded)
    return ", ".join(f"{name} x{number}" for name, number in counts.items())


class Runner:
    """Cold starts of the scenarios' functions, each in a fresh interpreter."""

    def __init__(self, emulator: Emulator, daemon: XRayDaemon | None, workdir: Path, task_root: Path) -> None:
        self.emulator, self.daemon, self.workdir, self.task_root = emulator, daemon, workdir, task_root
        self.replays: dict[str, list[dict[str, Any]]] = {}

    def record(self, scenario: Scenario) -> None:
        """The real handler's AWS requests, and proof that the bare function sends the same."""
        self.replays[scenario.function] = self.run(scenario, "real", record=True)["requests"]
        replayed = self.run(scenario, "bare", record=True)["requests"]
        if breakdown(replayed) != breakdown(self.replays[scenario.function]):
            raise RuntimeError(f"{scenario.label}: the bare function sent {breakdown(replayed)}")

    def run(self, scenario: Scenario, side: str, record: bool = False) -> dict[str, Any]:
        self.emulator.restore()
        spec = {
            "side": side,
            "record": record,
            "handler": FUNCTIONS[scenario.function].handler,
            "event": scenario.event,
            "requests": self.replays.get(scenario.function, []),
            "function_arn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:cold-path-{scenario.function}",
            # A first request starts with the whole timeout ahead of it.
            "timeout_ms": FUNCTIONS[scenario.function].timeout_seconds * 1000,
        }
        if self.daemon is not None:
            self.daemon.take()
        env = environment(
            scenario.function,
            self.emulator.endpoint,
            self.daemon,
            self.task_root,
            self.emulator.origin_secret_arn,
        )
        result = probe(spec, env, self.workdir)
        expected = scenario.status if side == "real" else 200  # the others answer 200
        if result["status"] != expected:
            raise RuntimeError(f"{scenario.label} ({side}) answered {result['response']}")
        if self.daemon is not None and side == "real" and not record:
            traced = dynamodb_subsegments(self.daemon.take())
            requests = [item for item in self.replays[scenario.function] if item["service"] == "dynamodb"]
            if len(traced) < len(requests):
                raise RuntimeError(f"{scenario.label}: X-Ray got {traced} for {len(requests)} requests")
        return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--untraced", action="store_true", help="POWERTOOLS_TRACE_DISABLED=true")
    parser.add_argument("--only", nargs="*", default=None, help="function names")
    parser.add_argument(
        "--origin-secret", action="store_true", help="the API functions check the origin secret (qas, prd)"
    )
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's server logs every request
    # The emulator's own speed-ups: a transaction backs a table up once, cheaply.
    serialized_dynamodb.back_up_each_table_once()
    moto_speedups.copy_stream_records_by_reference()
    chosen = [item for item in scenarios() if not args.only or item.function in args.only]
    if args.origin_secret:
        chosen = [through_the_distribution(item) for item in chosen]
    samples: dict[tuple[str, str], list[dict[str, Any]]] = {}
    with running_moto_server(serialize=False) as endpoint, tempfile.TemporaryDirectory() as scratch:
        runner = Runner(
            Emulator(endpoint, args.origin_secret),
            None if args.untraced else XRayDaemon(),
            Path(scratch),
            unpack_code_archive(Path(scratch) / "task"),
        )
        for scenario in chosen:  # also warms the bytecode caches
            runner.record(scenario)
        for number in range(args.runs):
            for scenario in chosen:
                for side in SIDES if number % 2 == 0 else reversed(SIDES):
                    samples.setdefault((scenario.function, side), []).append(runner.run(scenario, side))
    ratios = report(chosen, samples, runner.replays, args)
    return 0 if max(ratios) <= GOAL else 1


def _median(results: list[dict[str, Any]], part: str) -> float:
    values = [
        result["import_s"] + result["request_s"] if part == "total" else result[part] for result in results
    ]
    return float(statistics.median(values)) * 1000


def report(
    chosen: list[Scenario],
    samples: dict[tuple[str, str], list[dict[str, Any]]],
    replays: dict[str, list[dict[str, Any]]],
    args: argparse.Namespace,
) -> list[float]:
    """Print the table; return each function's ratio."""
    mode = "untraced" if args.untraced else "traced (X-Ray active, DynamoDB subsegments checked)"
    mode += ", API functions checking the origin secret" if args.origin_secret else ""
    print(f"cold path: import + first request, median of {args.runs} fresh interpreters, {mode}")
    columns = "import  request    total  toolkit     bare   ratio  CPU ratio  toolkit ratio"
    print(f"{'function: first request':40} {columns}  AWS requests (every side)")
    ratios = []
    for scenario in chosen:
        real, toolkit, bare = (samples[(scenario.function, side)] for side in SIDES)
        ratios.append(_median(real, "total") / _median(bare, "total"))
        figures = (
            f"{_median(real, 'import_s'):6.0f} {_median(real, 'request_s'):8.0f} "
            f"{_median(real, 'total'):8.0f} {_median(toolkit, 'total'):8.0f} {_median(bare, 'total'):8.0f} "
            f"{ratios[-1]:6.2f}x {_median(real, 'cpu_s') / _median(bare, 'cpu_s'):9.2f}x "
            f"{_median(toolkit, 'total') / _median(bare, 'total'):13.2f}x"
        )
        label = f"{scenario.function}: {scenario.label}"
        print(f"{label:40} {figures}  {breakdown(replays[scenario.function])}")
    print("ms of wall time; CPU ratio: the same in CPU time of the function's process")
    print("toolkit: the bare function after importing pydantic, Powertools and (traced) X-Ray")
    print(f"goal: total <= {GOAL}x the bare function's (import boto3 + the same requests): ", end="")
    print("met" if max(ratios) <= GOAL else "NOT met")
    return ratios


if __name__ == "__main__":
    raise SystemExit(main())
