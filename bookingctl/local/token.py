"""``bookingctl local token --email E [--password P]``: sign in to the running
devstack's emulated Cognito and print the ID token (what the API's JWT authorizer
expects), e.g. ``curl -H "Authorization: Bearer $(bookingctl local token --email …)"``.

The token is all that goes to stdout; errors go to stderr with exit status 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer

from bookingctl import console


def token(
    email: Annotated[str, typer.Option(help="the user's email (a demo user's by default)")],
    password: Annotated[
        str | None, typer.Option(help="default: the demo user's password from outputs.json")
    ] = None,
    access: Annotated[
        bool, typer.Option("--access", help="print the access token instead of the ID token")
    ] = False,
    state_dir: Annotated[Path | None, typer.Option(help="default: .devstack")] = None,
) -> None:
    """Print an ID token for a devstack user.

    For `Authorization: Bearer …`. Signs in to the running devstack's emulated
    Cognito; the password defaults to the demo user's from .devstack/outputs.json.
    """
    from devstack.access import NotADemoUser, SignInError, sign_in
    from devstack.outputs import OutputsNotFound, read_outputs
    from devstack.state import STATE_DIR, StateDir

    try:
        tokens = sign_in(read_outputs(StateDir(state_dir or STATE_DIR)), email, password or None)
    except NotADemoUser as error:
        _fail(f"{error}: pass --password")
    except (OutputsNotFound, SignInError) as error:
        _fail(str(error))
    # print(), not Rich: the token is a value for $(…), whatever the terminal's width.
    print(tokens.access_token if access else tokens.id_token)


def _fail(message: str) -> NoReturn:
    console.fail(f"bookingctl local token: {message}")
    raise typer.Exit(1)
