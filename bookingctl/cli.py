"""``bookingctl``: the platform's command line, on Typer.

One module per command under ``bookingctl/commands`` (``local``'s under
``bookingctl/local``), each a plain function whose signature is its options and whose
docstring is its help. The modules import only Typer and Rich at the top; what a
command needs (Pulumi, boto3, moto, the engine, the devstack) is imported when it runs,
so ``bookingctl --help`` answers at once (``benchmarks/cli_help.py``).

Exit status: 0 ok, 1 a mandatory policy violation or a failed check, 2 a usage error
(Typer's own, plus a stack config or a policy config that does not fit).
"""

from __future__ import annotations

from collections.abc import Sequence

import typer

from bookingctl import local
from bookingctl.commands import (
    integrity,
    openapi,
    package,
    policy,
    preview,
    seed,
    smoke,
    stack,
    tenant,
    test_user,
)

app = typer.Typer(
    name="bookingctl",
    help="Build, preview, check and run the booking platform.",
    no_args_is_help=True,
    add_completion=False,
    # Click's plain help: Typer's Rich help imports rich.markdown and rich.traceback
    # (markdown-it, pygments) first, about 150 ms on every --help.
    rich_markup_mode=None,
    # Tracebacks of a failing command as Python prints them: plain text a log keeps.
    pretty_exceptions_enable=False,
)
# In the order ``--help`` lists them (commands, then the groups of commands).
app.command("package")(package.package)
app.command("preview")(preview.preview)
app.command("openapi")(openapi.openapi)
app.command("integrity")(integrity.integrity)
app.command("seed")(seed.seed)
app.command("smoke")(smoke.smoke)
app.add_typer(policy.app)
app.add_typer(local.app)
app.add_typer(tenant.app)
app.add_typer(test_user.app)
app.add_typer(stack.app)


def main(argv: Sequence[str] | None = None) -> int:
    """The console script and ``python -m bookingctl``: the exit status, as a number.

    ``argv`` (default: ``sys.argv[1:]``) lets a test or a script run a command in-process.
    """
    try:
        app(args=None if argv is None else list(argv), prog_name="bookingctl")
    except SystemExit as stopped:
        code = stopped.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0
