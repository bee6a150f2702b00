"""``bookingctl local token --email E [--password P]``: sign in to the running
devstack's emulated Cognito and print the ID token (what the API's JWT authorizer
expects), e.g. ``curl -H "Authorization: Bearer $(bookingctl local token --email …)"``.

The password defaults to the demo user's from ``.devstack/outputs.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import boto3

DEFAULT_STATE_DIR = Path(".devstack")


class TokenError(Exception):
    """Why no token could be had, in words for the person at the terminal."""


def read_outputs(state_dir: Path) -> dict[str, Any]:
    path = state_dir / "outputs.json"
    if not path.is_file():
        raise TokenError(f"{path} not found: start the devstack first (bookingctl local up)")
    outputs: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return outputs


def demo_password(outputs: dict[str, Any], email: str) -> str:
    for user in outputs.get("demoUsers", []):
        if str(user.get("email", "")).lower() == email.lower():
            return str(user["password"])
    known = ", ".join(str(user.get("email")) for user in outputs.get("demoUsers", []))
    raise TokenError(f"{email} is not a demo user ({known or 'none listed'}): pass --password")


def sign_in(outputs: dict[str, Any], email: str, password: str) -> dict[str, Any]:
    """``AdminInitiateAuth`` with ``ADMIN_USER_PASSWORD_AUTH`` against the emulator."""
    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=outputs["awsEndpointUrl"],
        region_name=outputs["region"],
        # The emulator's dummy credentials: the host's own must never be used here.
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - the emulator's well-known dummy
    )
    try:
        result = cognito.admin_initiate_auth(
            UserPoolId=outputs["userPoolId"],
            ClientId=outputs["userPoolClientId"],
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": password},
        )
    except cognito.exceptions.NotAuthorizedException as error:
        raise TokenError(f"sign-in refused for {email}: wrong password?") from error
    except cognito.exceptions.UserNotFoundException as error:
        raise TokenError(f"no user {email} in the devstack's pool") from error
    return dict(result["AuthenticationResult"])


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "token", help="print an ID token for a devstack user", description=__doc__
    )
    parser.add_argument("--email", required=True, help="the user's email (a demo user's by default)")
    parser.add_argument("--password", help="default: the demo user's password from outputs.json")
    parser.add_argument(
        "--access", action="store_true", help="print the access token instead of the ID token"
    )
    parser.add_argument("--state-dir", type=Path, default=DEFAULT_STATE_DIR, help="default: .devstack")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        outputs = read_outputs(args.state_dir)
        password = args.password or demo_password(outputs, args.email)
        tokens = sign_in(outputs, args.email, password)
    except TokenError as error:
        print(f"bookingctl local token: {error}", file=sys.stderr)
        return 1
    print(tokens["AccessToken" if args.access else "IdToken"])
    return 0
