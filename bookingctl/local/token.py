"""``bookingctl local token --email E [--password P]``: sign in to the running
devstack's emulated Cognito and print the ID token (what the API's JWT authorizer
expects), e.g. ``curl -H "Authorization: Bearer $(bookingctl local token --email …)"``.

The password defaults to the demo user's from ``.devstack/outputs.json``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from devstack.state import STATE_DIR, StateDir


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "token", help="print an ID token for a devstack user", description=__doc__
    )
    parser.add_argument("--email", required=True, help="the user's email (a demo user's by default)")
    parser.add_argument("--password", help="default: the demo user's password from outputs.json")
    parser.add_argument(
        "--access", action="store_true", help="print the access token instead of the ID token"
    )
    parser.add_argument("--state-dir", type=Path, default=STATE_DIR, help="default: .devstack")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from devstack.access import NotADemoUser, SignInError, sign_in
    from devstack.outputs import OutputsNotFound, read_outputs

    try:
        tokens = sign_in(read_outputs(StateDir(args.state_dir)), args.email, args.password or None)
    except NotADemoUser as error:
        return _fail(f"{error}: pass --password")
    except (OutputsNotFound, SignInError) as error:
        return _fail(str(error))
    print(tokens.access_token if args.access else tokens.id_token)
    return 0


def _fail(message: str) -> int:
    print(f"bookingctl local token: {message}", file=sys.stderr)
    return 1
