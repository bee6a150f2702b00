"""``bookingctl local up --stack dev [--port 8080]``: deploy and serve until Ctrl-C (the
API on --port, the web app on --web-port, the managed login on --login-port)."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = subparsers.add_parser(
        "up",
        help="deploy the stack onto the emulator, seed it and serve the API and web app until Ctrl-C",
        description=(
            "Deploy the stack's Pulumi program onto the embedded emulator and serve its API, its "
            "web app (the distribution) and the user pool's managed login."
        ),
    )
    parser.add_argument("--stack", default="dev", help="stack whose configuration to deploy (default: dev)")
    parser.add_argument("--port", type=int, default=8080, help="port of the HTTP API (default: 8080)")
    parser.add_argument(
        "--web-port", type=int, default=None, help="port of the web app (default: --port + 1; 0: a free port)"
    )
    parser.add_argument(
        "--login-port",
        type=int,
        default=None,
        help="port of the sign-in pages (default: --port + 2; 0: free)",
    )
    parser.add_argument(
        "--emulator-port", type=int, default=0, help="port of the AWS emulator (default: a free port)"
    )
    parser.add_argument("--no-seed", action="store_true", help="do not load the demo seed")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from devstack.up import UpOptions, serve_forever

    return serve_forever(
        UpOptions(
            stack=args.stack,
            port=args.port,
            web_port=args.web_port,
            login_port=args.login_port,
            emulator_port=args.emulator_port,
            seed=not args.no_seed,
        )
    )
