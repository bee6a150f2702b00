"""``bookingctl policy check FILE``: the policy pack over a saved inventory.

``FILE`` is what ``bookingctl preview --json FILE`` wrote (e.g. a CI artifact). The
same rules as ``pulumi preview --policy-pack policies`` run, with the stack's config
file ``policies/config/<stack>.json``; the exit code is 1 on any mandatory violation,
2 when the inventory or the config cannot be read.

This module is also a check of ``bookingctl preview`` (its ``CHECK_MODULES`` hook):
``add_arguments`` adds ``--policy-config`` and ``check`` evaluates the previewed
inventory, with the same output and exit codes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.inventory import Inventory

EXIT_UNREADABLE = 2


def register(subparsers: Any) -> None:
    policy = subparsers.add_parser("policy", help="evaluate the policy pack offline")
    actions = policy.add_subparsers(dest="policy_command", required=True, metavar="ACTION")
    check = actions.add_parser(
        "check",
        help="evaluate a saved inventory (the JSON of `preview --json`)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("file", type=Path, help="inventory JSON written by `bookingctl preview --json`")
    check.add_argument("--stack", help="whose policy config to apply (default: the inventory's stack)")
    check.add_argument(
        "--policy-config",
        type=policy_config_file,
        metavar="FILE",
        help="policy config file (default: policies/config/<stack>.json)",
    )
    check.set_defaults(run=run_check)


def run_check(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from engine.inventory import Inventory

    try:
        inventory = Inventory.load(args.file)
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"cannot read the inventory {args.file}: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    return _evaluate(replace(inventory, stack=args.stack or inventory.stack), args.policy_config)


def _evaluate(inventory: Inventory, config_path: Path | None) -> int:
    from policies.offline import PolicyConfig, PolicyConfigError, evaluate

    try:
        config = PolicyConfig.for_stack(inventory.stack, config_path)
    except PolicyConfigError as error:
        print(error, file=sys.stderr)
        return EXIT_UNREADABLE
    report = evaluate(inventory, config)
    print(report.render())
    return report.exit_code


# --------------------------------------------------------------------------- preview hook


def policy_config_file(value: str) -> Path:
    """An argparse type: a config file that fits the pack, checked before any work starts."""
    from policies.offline import PolicyConfig, PolicyConfigError

    path = Path(value)
    try:
        PolicyConfig.load(path)
    except PolicyConfigError as error:
        raise argparse.ArgumentTypeError(str(error)) from error
    return path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``bookingctl preview --policy-config FILE``."""
    parser.add_argument(
        "--policy-config",
        type=policy_config_file,
        metavar="FILE",
        help="policy pack config (default: policies/config/<stack>.json)",
    )


def check(inventory: Inventory, args: argparse.Namespace) -> int:
    """The policy pack over the previewed inventory: 1 on a mandatory violation."""
    print()
    return _evaluate(inventory, getattr(args, "policy_config", None))
