"""``bookingctl local``: the devstack on this machine (``up``, ``token``, …).

Each sub-command is a module exposing ``register(local_subparsers)``, listed in
LOCAL_COMMAND_MODULES, so the commands of the devstack stay small and separate.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

# Sub-commands of ``bookingctl local``, in the order ``--help`` lists them.
LOCAL_COMMAND_MODULES: tuple[str, ...] = (
    "bookingctl.commands.local_up",
    "bookingctl.commands.local_token",
    "bookingctl.commands.local_tick",
)


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "local", help="run the dev stack on the embedded AWS emulator", description=__doc__
    )
    local_subparsers = parser.add_subparsers(dest="local_command", required=True, metavar="LOCAL_COMMAND")
    for module_name in LOCAL_COMMAND_MODULES:
        importlib.import_module(module_name).register(local_subparsers)
