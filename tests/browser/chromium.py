"""Debian's Chromium, driven by Playwright (Python): where it is and how it is launched.

No browser is ever downloaded (``playwright install`` needs the internet, which this
project's machines do not have): Playwright's wheel carries its driver, and the browser
is the system's ``chromium`` package, which ``make test`` installs when it is missing
and the user is root (``make chromium``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# Another Chromium build (e.g. on a developer's Mac) can be named explicitly.
PATH_VARIABLE = "CHROMIUM_PATH"
DEBIAN_PATH = Path("/usr/bin/chromium")

# What works here (shared/PITFALLS.md): without the background-networking flags Chromium's
# calls out (which have nowhere to go) are refused many at a time and slow every page.
# Playwright itself adds --headless, --no-sandbox (chromium_sandbox=False) and a fresh
# profile directory per launch.
LAUNCH_FLAGS = (
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

HOW_TO_INSTALL = (
    "the browser tests need Debian's Chromium: run `make chromium` as root "
    "(it runs `apt-get install -y chromium`), or point {variable} at a Chromium binary"
)


class ChromiumMissing(RuntimeError):
    """No Chromium to drive; the message says how to install one."""


def chromium_executable() -> Path:
    """The Chromium binary the tests launch, or :class:`ChromiumMissing` saying how to get one."""
    named = os.environ.get(PATH_VARIABLE)
    candidates = [Path(named)] if named else [DEBIAN_PATH]
    if not named and (found := shutil.which("chromium")):
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    where = ", ".join(str(candidate) for candidate in candidates)
    raise ChromiumMissing(f"no Chromium at {where}: " + HOW_TO_INSTALL.format(variable=PATH_VARIABLE))
