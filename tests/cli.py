"""``bookingctl`` in-process, as a shell runs it: Typer's test runner keeps stdout and
stderr apart and returns the exit status.

``COLUMNS`` is wide so that Rich never folds a table cell or a message the tests look for.
"""

from __future__ import annotations

from typer.testing import CliRunner, Result

from bookingctl.cli import app

RUNNER = CliRunner(env={"COLUMNS": "1000"})


def bookingctl(*args: str) -> Result:
    """``bookingctl ARGS…``; an unexpected exception propagates (a bug, not an exit status)."""
    return RUNNER.invoke(app, list(args), prog_name="bookingctl", catch_exceptions=False)
