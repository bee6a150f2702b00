"""Run every benchmark module in this package, each in its own interpreter so that one's
imports and caches do not flatter another's figures."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path


def main() -> int:
    package_dir = Path(__file__).parent
    names = sorted(
        info.name for info in pkgutil.iter_modules([str(package_dir)]) if not info.name.startswith("_")
    )
    failed = []
    for index, name in enumerate(names, start=1):
        print(f"[{index}/{len(names)}] benchmarks.{name}", flush=True)
        completed = subprocess.run([sys.executable, "-m", f"benchmarks.{name}"], check=False)
        if completed.returncode:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
