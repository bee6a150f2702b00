"""How anything reaches a devstack: the emulator's boto3 clients and signing in as a user.

The only home of the emulator's dummy credentials. moto accepts any credentials; real
AWS rejects these, which is the point: a client made here can never act on an AWS
account, whatever the host's own profile or environment says.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.config import Config

    from devstack.outputs import DevstackOutputs

_DUMMY = "testing"  # a well-known dummy, never a secret


def credential_variables() -> dict[str, str]:
    """The dummy credentials as environment variables, for a process (the emulator's
    host, a function's container) whose every boto3 client must reach only the emulator."""
    return {
        "AWS_ACCESS_KEY_ID": _DUMMY,
        "AWS_SECRET_ACCESS_KEY": _DUMMY,
        "AWS_SESSION_TOKEN": _DUMMY,
        "AWS_SECURITY_TOKEN": _DUMMY,  # the older name of the session token
    }


def emulator_client(service: str, *, endpoint_url: str, region: str, config: Config | None = None) -> Any:
    """A boto3 client of the emulator at ``endpoint_url``, with the dummy credentials."""
    import boto3  # here, so that importing the devstack's front door stays cheap

    factory: Any = boto3.client  # the stubs type clients per literal service name
    return factory(
        service,
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id=_DUMMY,
        aws_secret_access_key=_DUMMY,
        aws_session_token=_DUMMY,
        config=config,
    )


@dataclass(frozen=True)
class Tokens:
    """What Cognito answers a successful sign-in with."""

    id_token: str  # what the API's JWT authorizer expects
    access_token: str
    refresh_token: str | None = None


class SignInError(Exception):
    """Why no tokens could be had, in words for a person."""


class NotADemoUser(SignInError):
    """No password was given and the email is not one of the outputs' demo users."""


def password_sign_in(cognito: Any, *, user_pool_id: str, client_id: str, email: str, password: str) -> Tokens:
    """``AdminInitiateAuth`` with ``ADMIN_USER_PASSWORD_AUTH`` (IAM-signed, never from a
    browser; the dev pool's client allows it) on ``cognito``, a client of the pool's
    emulator."""
    try:
        result = cognito.admin_initiate_auth(
            UserPoolId=user_pool_id,
            ClientId=client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": password},
        )
    except cognito.exceptions.NotAuthorizedException as error:
        raise SignInError(f"sign-in refused for {email}: wrong password?") from error
    except cognito.exceptions.UserNotFoundException as error:
        raise SignInError(f"no user {email} in the devstack's pool") from error
    tokens = result["AuthenticationResult"]
    return Tokens(tokens["IdToken"], tokens["AccessToken"], tokens.get("RefreshToken"))


def sign_in(outputs: DevstackOutputs, email: str, password: str | None = None) -> Tokens:
    """Sign ``email`` in to the devstack's user pool; without ``password``, the demo
    user's password from the outputs."""
    if password is None:
        user = outputs.demo_user(email)
        if user is None:
            known = ", ".join(user.email for user in outputs.demo_users)
            raise NotADemoUser(f"{email} is not a demo user ({known or 'none listed'})")
        password = user.password
    return password_sign_in(
        outputs.client("cognito-idp"),
        user_pool_id=outputs.user_pool_id,
        client_id=outputs.user_pool_client_id,
        email=email,
        password=password,
    )
