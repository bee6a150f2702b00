"""The sign-in's steps against the emulated pool, as Cognito's managed login takes them.

1. The password (``AdminInitiateAuth`` with ``ADMIN_USER_PASSWORD_AUTH``: moto accepts
   no SRP proof worth the name, and the page runs server-side anyway).
2. For a user an administrator invited (``AdminCreateUser`` with a temporary password,
   e.g. the Owner ``bookingctl tenant create`` invites), the pool answers the password
   with the ``NEW_PASSWORD_REQUIRED`` challenge: the user chooses a new password, which
   ``RespondToAuthChallenge`` gives the pool with the challenge's session; the pool then
   signs the user in (or refuses a password its policy does not accept).

Each step's outcome says what the page shows next.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from devstack.login.grants import Tokens

WRONG_PASSWORD = ("NotAuthorizedException", "UserNotFoundException", "InvalidParameterException")
NEW_PASSWORD_REQUIRED = "NEW_PASSWORD_REQUIRED"  # noqa: S105  (a challenge's name)


@dataclass(frozen=True)
class Outcome:
    """Exactly one of: ``tokens`` (signed in), ``challenge`` (the pool's session for the
    new password), ``problem`` (a key of the page's texts) with Cognito's ``detail``."""

    tokens: Tokens | None = None
    challenge: str | None = None
    problem: str | None = None
    detail: str = ""


def _signed_in(answer: dict[str, Any]) -> Outcome:
    result = answer["AuthenticationResult"]
    return Outcome(
        tokens=Tokens(result["IdToken"], result["AccessToken"], result["RefreshToken"], result["ExpiresIn"])
    )


def check_password(cognito: Any, pool_id: str, client_id: str, email: str, password: str) -> Outcome:
    try:
        answer = cognito.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": password},
        )
    except ClientError as error:
        if error.response["Error"]["Code"] not in WRONG_PASSWORD:
            raise
        return Outcome(problem="wrong")
    if answer.get("ChallengeName") == NEW_PASSWORD_REQUIRED:
        return Outcome(challenge=answer["Session"])
    if "AuthenticationResult" not in answer:
        raise NotEmulated(
            f"{answer.get('ChallengeName')}: a step the devstack's sign-in page does not emulate"
        )
    return _signed_in(answer)


def choose_password(
    cognito: Any, client_id: str, email: str, session: str, new_password: str, confirmation: str
) -> Outcome:
    """Answer ``NEW_PASSWORD_REQUIRED``; a refusal keeps the challenge's session (the
    pool keeps it until it is answered) unless the session itself is gone."""
    if not new_password or new_password != confirmation:
        return Outcome(challenge=session, problem="mismatch")
    try:
        answer = cognito.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName=NEW_PASSWORD_REQUIRED,
            Session=session,
            ChallengeResponses={"USERNAME": email, "NEW_PASSWORD": new_password},
        )
    except ClientError as error:
        code, message = error.response["Error"]["Code"], error.response["Error"].get("Message", "")
        if code == "InvalidPasswordException":
            return Outcome(challenge=session, problem="policy", detail=message)
        if code in ("ResourceNotFoundException", "NotAuthorizedException", "CodeMismatchException"):
            return Outcome(problem="expired")  # an unknown or spent session: sign in again
        raise
    if "AuthenticationResult" not in answer:
        raise NotEmulated(
            f"{answer.get('ChallengeName')}: a step the devstack's sign-in page does not emulate"
        )
    return _signed_in(answer)


def take_step(cognito: Any, pool_id: str, client_id: str, email: str, form: Mapping[str, str]) -> Outcome:
    """The step the sign-in page's ``form`` submits: the new password, or the password."""
    if form.get("step") == "new_password":
        new_password, confirmation = form.get("new_password", ""), form.get("confirm_password", "")
        return choose_password(cognito, client_id, email, form.get("session", ""), new_password, confirmation)
    return check_password(cognito, pool_id, client_id, email, form.get("password", ""))


class NotEmulated(Exception):
    """A challenge beyond the new password (MFA): the devstack's pools never ask one."""
