"""``bookingctl policy check FILE``: the policy pack over a saved inventory.

``FILE`` is what ``bookingctl preview --json FILE`` wrote (e.g. a CI artifact). The
same rules as ``pulumi preview --policy-pack policies`` run, with the stack's config
file ``policies/config/<stack>.json``. ``bookingctl preview`` runs the same evaluation
(:func:`evaluate_pack`) on the inventory it has just made and prints the same tables
(:func:`show_report`). Exit status: 1 on any mandatory violation; 2 when the inventory
or the config cannot be read (a ``--policy-config`` that does not fit the pack stops
the command line before any work starts).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bookingctl import console

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from engine.inventory import Inventory
    from policies.offline import Finding, Report

EXIT_UNREADABLE = 2
LEVEL_STYLES = {"mandatory": "bold red", "advisory": "yellow"}


def _fitting_policy_config(value: Path | None) -> Path | None:
    """Checked while the command line is parsed: a config that does not fit the pack is
    a usage error (exit 2, naming the policy or the key) before any work starts."""
    if value is None:
        return None
    from policies.offline import PolicyConfig, PolicyConfigError

    try:
        PolicyConfig.load(value)
    except PolicyConfigError as error:
        raise typer.BadParameter(str(error)) from error
    return value


# ``--policy-config FILE`` of ``policy check`` and ``preview``.
PolicyConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--policy-config",
        metavar="FILE",
        callback=_fitting_policy_config,
        help="policy pack config (default: policies/config/<stack>.json)",
    ),
]

app = typer.Typer(name="policy", help="Evaluate the policy pack offline.", no_args_is_help=True)


@app.command("check")
def check(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="inventory JSON written by `bookingctl preview --json`")
    ],
    stack: Annotated[
        str | None, typer.Option(help="whose policy config to apply (default: the inventory's stack)")
    ] = None,
    policy_config: PolicyConfigOption = None,
) -> None:
    """Evaluate a saved inventory (exit 1 on a mandatory violation).

    FILE is what `bookingctl preview --json FILE` wrote (e.g. a CI artifact); the
    stack's policy config applies unless --stack or --policy-config say otherwise.
    """
    from dataclasses import replace

    from engine.inventory import Inventory
    from policies.offline import PolicyConfigError

    try:
        inventory = Inventory.load(file)
    except (OSError, ValueError, KeyError, TypeError) as error:
        console.fail(f"cannot read the inventory {file}: {error}")
        raise typer.Exit(EXIT_UNREADABLE) from error
    try:
        report = evaluate_pack(replace(inventory, stack=stack or inventory.stack), policy_config)
    except PolicyConfigError as error:
        console.fail(str(error))
        raise typer.Exit(EXIT_UNREADABLE) from error
    show_report(report, console.stdout())
    raise typer.Exit(report.exit_code)


def evaluate_pack(inventory: Inventory, config_path: Path | None) -> Report:
    """Every policy over ``inventory`` with ``config_path`` (default: the stack's config
    file); raises ``PolicyConfigError`` when that config does not fit the pack."""
    from policies.offline import PolicyConfig, evaluate

    return evaluate(inventory, PolicyConfig.for_stack(inventory.stack, config_path))


# --------------------------------------------------------------------------- tables


def show_report(report: Report, out: Console) -> None:
    """The policies that ran (and on how many resources), the violations, the verdict."""
    from policies.offline import REPORTED_LEVELS

    source = report.config_source
    out.print(f"Policies ({len(report.evaluated)} evaluated, config: {source}):", soft_wrap=True)
    out.print(_policies_table(report))
    if report.findings:
        out.print()
        out.print("Violations:")
        out.print(_violations_table(report))
    out.print()
    out.print(
        " · ".join(
            f"{level.capitalize()} violations: {len(report.at_level(level))}" for level in REPORTED_LEVELS
        )
    )
    verdict = "FAILED: mandatory policies are violated" if report.exit_code else "passed"
    out.print(
        f"Policy check of stack {report.stack!r} {verdict}.",
        style="bold red" if report.exit_code else "green",
    )


def _policies_table(report: Report) -> Table:
    from rich.text import Text

    table = console.table()
    table.add_column("Policy")
    table.add_column("Resources", justify="right")
    for name, count in report.evaluated.items():
        table.add_row(name, str(count))
    for name in report.disabled:
        table.add_row(Text(name, "dim"), Text("disabled", "dim"))
    return table


def _violations_table(report: Report) -> Table:
    from rich.text import Text

    from policies.offline import REPORTED_LEVELS

    table = console.table()
    table.add_column("Rule", no_wrap=True)
    table.add_column("Level", no_wrap=True)
    table.add_column("Resource")
    table.add_column("Message")
    # Most severe first: what blocks ``pulumi up`` is what a reader needs to see first.
    for level in REPORTED_LEVELS:
        for finding in report.at_level(level):
            resource, message = _split(finding)
            table.add_row(finding.rule, Text(level, LEVEL_STYLES.get(level, "")), resource, message)
    return table


def _split(finding: Finding) -> tuple[str, str]:
    """``type 'name'`` from the finding's URN, and the message without that prefix (every
    rule names its resource first: ``policies.rules.base.describe``)."""
    # urn:pulumi:<stack>::<project>::<parent types$>type::name
    parts = (finding.urn or "").split("::", 3)
    if len(parts) != 4:
        return "", finding.message
    qualified_type, name = parts[2:]
    resource = f"{qualified_type.rsplit('$', 1)[-1]} '{name}'"
    message = finding.message.removeprefix(f"{resource}: ")
    return resource, message
