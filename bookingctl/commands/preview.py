"""``bookingctl preview --stack NAME``: the program under Pulumi's mock engine, offline.

Prints the resource tree (type, name) and a summary like ``pulumi preview``, writes the
inventory as JSON on request, then runs the preview checks. No credentials, no Pulumi CLI.

Exits 2, naming the key, when the stack's configuration is invalid.

Extension point: :data:`CHECK_MODULES` names modules (imported when the command is
registered) that expose ``add_arguments(parser)`` and
``check(inventory, args) -> int``; the command exits with the highest status a check
returns. The policy pack's offline evaluation plugs in here.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from types import ModuleType

from engine.inventory import Inventory, ResourceRecord

# Modules with add_arguments(parser) and check(inventory, args) -> int, in run order.
CHECK_MODULES: tuple[str, ...] = ("bookingctl.commands.policy",)


def _checks() -> list[ModuleType]:
    return [importlib.import_module(name) for name in CHECK_MODULES]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "preview",
        help="offline preview of a stack under the mock engine (no credentials)",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    parser.add_argument("--stack", required=True, help="stack name: reads Pulumi.<stack>.yaml")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the inventory (JSON) to FILE")
    parser.add_argument(
        "--project-root",
        type=Path,
        default=None,
        metavar="DIR",
        help="where Pulumi.<stack>.yaml lives (default: this repository)",
    )
    for check in _checks():
        check.add_arguments(parser)
    parser.set_defaults(run=run)


EXIT_CONFIG_ERROR = 2


def run(args: argparse.Namespace) -> int:
    # Late: these import Pulumi and pulumi_aws, slow for ``bookingctl --help``.
    from engine.run import run_program
    from engine.stack_file import PROJECT_ROOT, ConfigFileError, read_stack_config
    from stacks.config import StackConfigError

    started = time.perf_counter()
    print(f"Previewing update ({args.stack}) offline under the mock engine\n")
    try:
        root = args.project_root or PROJECT_ROOT
        _, secret_keys = read_stack_config(args.stack, root)
        inventory = run_program(args.stack, project_root=root)
    except (ConfigFileError, StackConfigError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG_ERROR
    elapsed = time.perf_counter() - started
    if secret_keys:
        # Names only: the values are ciphertext here and never printed anyway.
        print(f"Secrets previewed with placeholders (not decrypted offline): {', '.join(secret_keys)}\n")
    print(render_tree(inventory))
    print(render_summary(inventory, elapsed))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(inventory.to_json() + "\n", encoding="utf-8")
        print(f"Inventory written to {args.json}")
    return max((check.check(inventory, args) for check in _checks()), default=0)


def render_tree(inventory: Inventory) -> str:
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


def render_summary(inventory: Inventory, elapsed_seconds: float) -> str:
    counts = Counter(record.type for record in inventory.resources if record.type != "pulumi:pulumi:Stack")
    components = sum(count for type_, count in counts.items() if type_.startswith("booking:"))
    providers = sum(count for type_, count in counts.items() if type_.startswith("pulumi:providers:"))
    custom = sum(counts.values()) - components - providers
    lines = [
        "",
        "Resources:",
        f"    + {len(inventory.resources)} to create "
        f"({custom} resources, {components} components, {providers} providers, 1 stack)",
        "",
        "Outputs:",
    ]
    lines += [f"    {key}: {value!r}" for key, value in sorted(inventory.stack_outputs.items())]
    lines += ["", f"Duration: {elapsed_seconds:.1f}s"]
    return "\n".join(lines)
