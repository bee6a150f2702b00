"""The lock's pins as pip constraints (``python -m packager.venv_constraints``, stdout).

``make`` installs the project's virtualenv with them, so the tests, the devstack and the
packager run the very versions the functions' layer ships: jinja2 above all, whose
compiled templates the code archive carries (``packager.lambda_artifacts``). The lock
itself cannot be the constraints file: its hashes would put pip in hash-checking mode.
"""

from __future__ import annotations

import sys
from pathlib import Path

from packager.layer_lock import LOCK_FILE, pins


def constraints(lock: Path) -> str:
    return "".join(f"{name}=={version}\n" for name, version in sorted(pins(lock).items()))


if __name__ == "__main__":
    sys.stdout.write(constraints(Path(__file__).resolve().parent.parent / LOCK_FILE))
