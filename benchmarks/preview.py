"""Offline preview wall time per stack (``run_program`` with the PreviewBackend).

Baseline, measured in the same run: the same engine running a one-resource program
(provider + table), so the ratio is the cost of the real program over the engine's
fixed cost per run. Artifacts are warmed first: the figures never include a layer build.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROUNDS = 5
STACKS = ("dev", "qas", "prd")


def _baseline_program() -> None:
    import pulumi
    import pulumi_aws as aws

    provider = aws.Provider("main", region="us-east-1")
    aws.dynamodb.Table(
        "table",
        hash_key="pk",
        attributes=[aws.dynamodb.TableAttributeArgs(name="pk", type="S")],
        billing_mode="PAY_PER_REQUEST",
        opts=pulumi.ResourceOptions(provider=provider),
    )


def _median_seconds(action: Callable[[], object]) -> float:
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def _children_cpu_seconds() -> float:
    """CPU time of finished child processes: unlike wall time, immune to a busy machine."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    sys.path[:0] = [str(root), str(root / "lambdas")]
    started = time.perf_counter()
    from engine.run import run_program
    from packager.lambda_artifacts import ensure_artifacts

    ensure_artifacts()
    first = run_program("dev")  # imports pulumi_aws and the program
    cold = time.perf_counter() - started
    print(f"cold start (imports + artifacts check + first dev run): {cold:.2f}s")

    baseline = _median_seconds(lambda: run_program("dev", program=_baseline_program))
    print(f"baseline: one-resource program, median of {ROUNDS}: {baseline * 1000:.0f} ms")
    print(f"{'stack':<6}{'resources':>10}{'median':>10}{'per resource':>14}{'x baseline':>12}")
    for stack in STACKS:
        resources = len(run_program(stack).resources)
        median = _median_seconds(lambda stack=stack: run_program(stack))  # type: ignore[misc]
        print(
            f"{stack:<6}{resources:>10}{median:>9.2f}s{median / resources * 1000:>12.1f}ms"
            f"{median / baseline:>11.1f}x"
        )
    print("bookingctl preview --stack <name> as a fresh process (what a user or CI waits for):")
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(root / "lambdas")])}
    for stack in STACKS:
        started = time.perf_counter()
        cpu_before = _children_cpu_seconds()
        subprocess.run(
            [sys.executable, "-m", "bookingctl", "preview", "--stack", stack],
            check=True,
            stdout=subprocess.DEVNULL,
            env=environment,
            cwd=root,
        )
        wall = time.perf_counter() - started
        print(f"  {stack}: {wall:.2f}s wall, {_children_cpu_seconds() - cpu_before:.2f}s CPU")
    assert first.resources
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
