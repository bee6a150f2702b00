"""The user a smoke run of a deployed stack signs in as: made for the run, removed after.

A Patient of its own tenant (``bookingctl-smoke``, which holds nothing else), created
in the stack's user pool without any e-mail (``MessageAction=SUPPRESS``) with a random
permanent password, and in the table (the API admits only users it knows); signed in
with SRP (``USER_SRP_AUTH`` through pycognito's ``AWSSRP``), the flow every stack's app
client allows (``components/cognito.py``), so no stack needs a token given. The pool's
user and the table's items are deleted when the run ends, whatever happened.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from booking.contract import TENANT_ATTRIBUTE, Role

SMOKE_TENANT = "bookingctl-smoke"


class SmokeUserError(Exception):
    """The run's user could not be made or signed in; the message says why."""


@contextmanager
def temporary_user(outputs: Mapping[str, Any], session: Any) -> Iterator[str]:
    """An ID token of a Patient made for this run from the stack's ``outputs``."""
    from booking.adapters.dynamodb_table import DynamoTable
    from booking.adapters.dynamodb_users import DynamoUserRepository
    from booking.domain.models import User

    pool, client_id, table = (outputs.get(key) for key in ("userPoolId", "userPoolClientId", "tableName"))
    if not pool or not client_id or not table:
        raise SmokeUserError("the stack exports no userPoolId/userPoolClientId/tableName")
    cognito = session.client("cognito-idp")
    users = DynamoUserRepository(DynamoTable(str(table), client=session.client("dynamodb")))
    email = f"smoke-{uuid.uuid4().hex[:12]}@bookingctl.invalid"
    # Meets any pool policy: long, with lower and upper case letters, digits and a symbol.
    password = f"{secrets.token_urlsafe(24)}aA1!"
    created = cognito.admin_create_user(
        UserPoolId=pool,
        Username=email,
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
            {"Name": f"custom:{TENANT_ATTRIBUTE}", "Value": SMOKE_TENANT},
        ],
        MessageAction="SUPPRESS",
    )
    sub = next(item["Value"] for item in created["User"]["Attributes"] if item["Name"] == "sub")
    user = User(id=sub, tenant_id=SMOKE_TENANT, email=email, role=Role.PATIENT, created_at=datetime.now(UTC))
    try:
        cognito.admin_add_user_to_group(UserPoolId=pool, Username=email, GroupName=Role.PATIENT.value)
        cognito.admin_set_user_password(UserPoolId=pool, Username=email, Password=password, Permanent=True)
        users.put_user(user)
        yield _srp_id_token(cognito, pool, client_id, email, password)
    finally:
        cognito.admin_delete_user(UserPoolId=pool, Username=email)
        users.delete_user(user)


def _srp_id_token(cognito: Any, pool: str, client_id: str, email: str, password: str) -> str:
    """The ID token of an SRP sign-in; a challenge instead of tokens (e.g. an MFA set-up
    where the pool requires MFA) is an error naming it."""
    from pycognito.aws_srp import AWSSRP
    from pycognito.exceptions import WarrantException

    srp = AWSSRP(username=email, password=password, pool_id=pool, client_id=client_id, client=cognito)
    try:
        answer = srp.authenticate_user()
    except WarrantException as error:
        raise SmokeUserError(f"the SRP sign-in was answered with a challenge: {error}") from error
    result = answer.get("AuthenticationResult")
    if not result:
        challenge = answer.get("ChallengeName")
        raise SmokeUserError(f"the SRP sign-in ended in the challenge {challenge!r}, not tokens")
    return str(result["IdToken"])
