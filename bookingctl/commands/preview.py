"""``bookingctl preview --stack NAME``: the program under Pulumi's mock engine, offline.

Runs the stack's program and the policy pack (steps on stderr), then prints the
resource tree (type, name) like ``pulumi preview``, a table of what is to be created,
the stack's outputs, the policy tables and the verdict; writes the inventory as JSON on
request. No credentials, no Pulumi CLI.

Exit status: the policy pack's (1 on a mandatory violation), or 2, naming the key, when
the stack's configuration is invalid.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bookingctl import console
from bookingctl.commands import policy

if TYPE_CHECKING:
    from rich.console import Console

    from engine.inventory import Inventory, ResourceRecord

EXIT_CONFIG_ERROR = 2


def preview(
    stack: Annotated[str, typer.Option(help="stack name: reads Pulumi.<stack>.yaml")],
    json_file: Annotated[
        Path | None, typer.Option("--json", metavar="FILE", help="write the inventory (JSON) to FILE")
    ] = None,
    project_root: Annotated[
        Path | None,
        typer.Option(metavar="DIR", help="where Pulumi.<stack>.yaml lives (default: this repository)"),
    ] = None,
    policy_config: policy.PolicyConfigOption = None,
) -> None:
    """Preview a stack offline, with the policy pack (no credentials).

    Runs the stack's program under Pulumi's mock engine, prints the resource tree and a
    summary like `pulumi preview`, then the policy pack's verdict. Exit status 1 on a
    mandatory policy violation, 2 when the stack's configuration is invalid.
    """
    # Late: these import Pulumi and pulumi_aws, slow for ``bookingctl --help``.
    from engine.run import run_program
    from engine.stack_file import PROJECT_ROOT, ConfigFileError, read_stack_config
    from policies.offline import PolicyConfigError
    from stacks.config import StackConfigError

    out = console.stdout()
    out.print(f"Previewing update ({stack}) offline under the mock engine\n")
    started = time.perf_counter()
    root = project_root or PROJECT_ROOT
    try:
        with console.Steps() as steps:
            with steps.step(f"running the program of stack {stack}") as note:
                _, secret_keys = read_stack_config(stack, root)
                inventory = run_program(stack, project_root=root)
                note(f"ran the program of stack {stack}: {len(inventory.resources)} resources")
            elapsed = time.perf_counter() - started
            with steps.step("evaluating the policy pack") as note:
                report = policy.evaluate_pack(inventory, policy_config)
                note(f"evaluated {len(report.evaluated)} policies ({report.config_source})")
    except (ConfigFileError, StackConfigError, PolicyConfigError) as error:
        console.fail(f"error: {error}")
        raise typer.Exit(EXIT_CONFIG_ERROR) from error
    if secret_keys:
        # Names only: the values are ciphertext here and never printed anyway.
        out.print(f"Secrets previewed with placeholders (not decrypted offline): {', '.join(secret_keys)}\n")
    out.print(render_tree(inventory))
    show_summary(inventory, elapsed, out)
    if json_file:
        json_file.parent.mkdir(parents=True, exist_ok=True)
        json_file.write_text(inventory.to_json() + "\n", encoding="utf-8")
        out.print(f"Inventory written to {json_file}", soft_wrap=True)
    out.print()
    policy.show_report(report, out)
    raise typer.Exit(report.exit_code)


def render_tree(inventory: Inventory) -> str:
    """Every resource under its parent, siblings by type and name, as ``pulumi preview``."""
    children: dict[str | None, list[ResourceRecord]] = defaultdict(list)
    for record in inventory.resources:
        children[record.parent].append(record)
    for siblings in children.values():
        siblings.sort(key=lambda record: (record.type, record.name))
    rows: list[tuple[str, str]] = []

    def walk(record: ResourceRecord, prefix: str, branch: str) -> None:
        rows.append((f"{prefix}{branch}{record.type}", record.name))
        kids = children.get(record.urn, [])
        extension = "" if not branch else ("   " if branch == "└─ " else "│  ")
        for index, child in enumerate(kids):
            walk(child, prefix + extension, "└─ " if index == len(kids) - 1 else "├─ ")

    for root in children.get(None, []):
        walk(root, "", "")
    width = max(len(type_) for type_, _ in rows) + 2
    lines = [f"     {'Type':<{width}}Name"]
    lines += [f" +   {type_:<{width}}{name}" for type_, name in rows]
    return "\n".join(lines)


def show_summary(inventory: Inventory, elapsed_seconds: float, out: Console) -> None:
    """How many of each type are to be created, the total by kind, the stack's outputs."""
    from engine.run import STACK_TYPE

    counts = Counter(record.type for record in inventory.resources if record.type != STACK_TYPE)
    components = sum(count for type_, count in counts.items() if type_.startswith("booking:"))
    providers = sum(count for type_, count in counts.items() if type_.startswith("pulumi:providers:"))
    custom = sum(counts.values()) - components - providers

    by_type = console.table()
    by_type.add_column("Type")
    by_type.add_column("To create", justify="right")
    for type_, count in sorted(counts.items()):
        by_type.add_row(type_, str(count))
    out.print()
    out.print("Resources:")
    out.print(by_type)
    out.print(
        f"    + {len(inventory.resources)} to create "
        f"({custom} resources, {components} components, {providers} providers, 1 stack)",
        style="green",
    )
    out.print()
    out.print("Outputs:")
    for key, value in sorted(inventory.stack_outputs.items()):
        out.print(f"    {key}: {_shown(value)}", soft_wrap=True)
    out.print()
    out.print(f"Duration: {elapsed_seconds:.1f}s")


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)
