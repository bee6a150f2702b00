"""``bookingctl``: the platform's command line.

Each sub-command lives in its own module under ``bookingctl/commands`` and exposes
``register(subparsers)``; the modules are imported only when the CLI starts so that
``bookingctl --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Sub-command modules, in the order ``--help`` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "bookingctl.commands.package",
    "bookingctl.commands.preview",
    "bookingctl.commands.integrity",
    "bookingctl.commands.policy",
    "bookingctl.commands.openapi",
    "bookingctl.commands.local",
    "bookingctl.commands.seed",
    "bookingctl.commands.tenant",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bookingctl", description="Build, preview, check and run the booking platform."
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    result: int = args.run(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
