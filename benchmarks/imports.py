"""Cold-start import time of each API handler module against ``import boto3`` alone,
each measured in fresh interpreters (median of several), in the same run.

The handlers import boto3 only when their first request builds the adapters, so a
handler's import cost is Powertools, pydantic and the domain.

    PYTHONPATH=.:lambdas python -m benchmarks.imports
    PYTHONPATH=.:lambdas python -m benchmarks.imports --no-bytecode

``--no-bytecode`` times what a cold start in Lambda pays when the artifacts ship no
bytecode: /var/task and /opt are read-only, so every module of the function and of its
layer (boto3 included) is compiled from source, while the runtime's own standard
library is compiled already. The interpreters run with ``-B`` and a bytecode cache
directory (``PYTHONPYCACHEPREFIX``) that holds the standard library's bytecode alone.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

RUNS = 9
HANDLERS = ("catalogs", "availability", "bookings", "users")
ROOT = Path(__file__).resolve().parents[1]
PROBE = "import time; started = time.perf_counter(); import {module}; print(time.perf_counter() - started)"


def _sample(module: str, env: dict[str, str], flags: tuple[str, ...] = ()) -> float:
    completed = subprocess.run(
        [sys.executable, *flags, "-c", PROBE.format(module=module)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return float(completed.stdout.strip())


def _standard_library_bytecode(modules: list[str], env: dict[str, str]) -> Path:
    """A bytecode cache directory holding what importing ``modules`` compiles of the
    standard library, and nothing of the project or its dependencies."""
    everything = Path(tempfile.mkdtemp(prefix="imports-bytecode-"))
    for module in modules:
        _sample(module, {**env, "PYTHONPYCACHEPREFIX": str(everything)})
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    mirrored = stdlib.relative_to(stdlib.anchor)  # the cache mirrors absolute source paths
    kept = Path(tempfile.mkdtemp(prefix="imports-stdlib-bytecode-"))
    (kept / mirrored).parent.mkdir(parents=True)
    shutil.move(everything / mirrored, kept / mirrored)
    shutil.rmtree(everything)
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--no-bytecode",
        action="store_true",
        help="compile the project and its dependencies at every import (Lambda without shipped bytecode)",
    )
    arguments = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'lambdas'}"}
    # The warm-up writes the bytecode cache the measured imports read (or may not).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    # X-Ray's SDK is what Powertools' Tracer loads when it is created: shown for scale.
    modules = ["boto3", "aws_xray_sdk.core", *(f"booking.handlers.{name}" for name in HANDLERS)]
    flags: tuple[str, ...] = ()
    stdlib_cache = None
    if arguments.no_bytecode:
        stdlib_cache = _standard_library_bytecode(modules, env)
        env["PYTHONPYCACHEPREFIX"] = str(stdlib_cache)
        flags = ("-B",)  # nothing the measured imports compile is kept for the next one
    else:
        for module in modules:
            _sample(module, env)  # warm the bytecode cache
    samples: dict[str, list[float]] = {module: [] for module in modules}
    for _ in range(RUNS):  # round-robin, so a burst of machine load hits every module alike
        for module in modules:
            samples[module].append(_sample(module, env, flags))
    if stdlib_cache:
        shutil.rmtree(stdlib_cache)
    baseline = statistics.median(samples["boto3"])
    bytecode = "no bytecode but the standard library's" if arguments.no_bytecode else "bytecode cache warm"
    heading = f"module (median of {RUNS} fresh interpreters; {bytecode})"
    print(f"{heading:70} {'ms':>8} {'vs boto3':>9}")
    for module in modules:
        seconds = statistics.median(samples[module])
        print(f"{module:70} {seconds * 1000:8.1f} {seconds / baseline:8.2f}x")


if __name__ == "__main__":
    main()
