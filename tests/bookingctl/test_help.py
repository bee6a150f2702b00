"""Every command answers ``--help`` at once, and usage errors exit 2 (Typer's rule and
the one argparse had)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli import bookingctl

ROOT = Path(__file__).resolve().parents[2]

# Every command and group, with the options (and arguments) its help must name.
COMMANDS: dict[tuple[str, ...], tuple[str, ...]] = {
    (): (
        "package",
        "preview",
        "openapi",
        "integrity",
        "seed",
        "policy",
        "local",
        "tenant",
        "test-user",
        "stack",
        "smoke",
    ),
    ("package",): ("--force",),
    ("preview",): ("--stack", "--json", "--project-root", "--policy-config"),
    ("openapi",): ("--write", "--check", "--path"),
    ("integrity",): ("--table", "--endpoint-url", "--region"),
    ("seed",): ("--stack", "--table", "--user-pool-id", "--region", "--seed-file"),
    ("policy",): ("check",),
    ("policy", "check"): ("FILE", "--stack", "--policy-config"),
    ("local",): ("up", "token", "tick"),
    ("local", "up"): (
        "--stack",
        "--port",
        "--web-port",
        "--login-port",
        "--emulator-port",
        "--no-seed",
        "--fresh",
        "--no-snapshot",
        "--snapshot-dir",
    ),
    ("local", "token"): ("--email", "--password", "--access", "--state-dir"),
    ("local", "tick"): ("--now", "--state-dir"),
    ("tenant",): ("create", "list", "disable", "enable"),
    ("tenant", "create"): ("--stack", "--name", "--time-zone", "--owner-email", "--locale", "--web-address"),
    ("smoke",): ("--stack", "--devstack", "--token"),
    ("test-user",): ("create", "remove"),
    ("test-user", "create"): ("--stack", "--label", "--tenant", "--role", "--devstack"),
    ("test-user", "remove"): ("--stack", "--email", "--devstack"),
    ("stack",): ("up", "destroy", "list", "gc"),
    ("stack", "up"): ("--user", "--pr", "--ttl"),
    ("stack", "destroy"): ("--user", "--pr"),
    ("stack", "list"): (),
    ("stack", "gc"): ("--dry-run",),
}
# What the commands import when they run, and --help never needs.
LOADED_BY_COMMANDS = (
    "pulumi",
    "pulumi_aws",
    "boto3",
    "botocore",
    "moto",
    "engine",
    "devstack",
    "booking",
    "pydantic",
    "rich",
)


@pytest.mark.parametrize("command", list(COMMANDS), ids=lambda command: " ".join(command) or "bookingctl")
def test_every_command_explains_itself_and_names_its_options(command: tuple[str, ...]):
    result = bookingctl(*command, "--help")

    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: {' '.join(('bookingctl', *command))} ")
    for name in COMMANDS[command]:
        assert name in result.stdout


def test_help_loads_none_of_the_modules_a_command_needs_only_when_it_runs():
    probe = (
        "import sys\n"
        "from bookingctl.cli import main\n"
        "for argv in (['--help'], ['preview', '--help'], ['local', 'up', '--help'],\n"
        "             ['stack', 'up', '--help']):\n"
        "    assert main(argv) == 0\n"
        f"print(sorted({{name.split('.')[0] for name in sys.modules}} & set({LOADED_BY_COMMANDS!r})))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert completed.stdout.splitlines()[-1] == "[]"


def test_python_m_bookingctl_is_the_same_command_line():
    completed = subprocess.run(
        [sys.executable, "-m", "bookingctl", "local", "--help"], capture_output=True, text=True, cwd=ROOT
    )
    assert completed.returncode == 0
    assert completed.stdout.startswith("Usage: bookingctl local ")


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        ((), "Usage: bookingctl"),
        (("deploy",), "No such command 'deploy'"),
        (("preview",), "Missing option '--stack'"),
        (("preview", "--stack", "dev", "--verbose"), "No such option: --verbose"),
        (("policy", "check"), "Missing argument 'FILE'"),
        (("openapi", "--write", "--check"), "'--write' / '--check'"),
        (("local", "up", "--port", "eighty"), "'--port'"),
        (("local", "tick", "--now", "tomorrow"), "'--now'"),
        (("local", "token"), "Missing option '--email'"),
        (("stack", "up", "--pr", "twelve"), "'--pr'"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else None,
)
def test_a_usage_error_exits_2_and_says_what_is_wrong(args: tuple[str, ...], complaint: str):
    result = bookingctl(*args)

    assert result.exit_code == 2
    assert complaint in result.output


def test_main_returns_the_exit_status_for_the_console_script_to_exit_with(capsys):
    from bookingctl.cli import main

    assert main(["--help"]) == 0
    assert main(["preview"]) == 2
    assert "Missing option '--stack'" in capsys.readouterr().err
