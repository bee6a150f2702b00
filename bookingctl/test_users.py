"""``bookingctl test-user create|remove``: a user made for one test run against a
deployed stack, and removed after it.

The pipeline (``.github/actions/stack-acceptance``) creates one before the browser suite
runs against a dev or qas stack and removes it afterwards, whatever the suite's outcome,
so no password outlives the run. The user belongs to an existing clinic of the stack
(the demo clinic by default, loaded once per stack by ``bookingctl seed``) and is made
as ``POST /users`` makes one (``UserService``: Cognito identity, groups and the user
record with its index entries), then given a generated, permanent password.

Its address is SES's mailbox simulator (``success+<label>@simulator.amazonses.com``):
the invitation and booking emails it causes are accepted and delivered nowhere, and count
towards no bounce rate. ``remove`` refuses any other address, so a typo cannot delete a
real person; it deletes the Cognito identity (no sign-in, no refresh) and the user record
with its index entries.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from booking.adapters import dynamodb_directory_items as directory
from booking.adapters import dynamodb_items as items
from booking.adapters.cognito import CognitoUserDirectory
from booking.adapters.dynamodb_catalog import DynamoCatalogRepository
from booking.adapters.dynamodb_context import DynamoContextReader
from booking.adapters.dynamodb_table import DynamoTable
from booking.adapters.dynamodb_users import DynamoUserRepository
from booking.adapters.system import SystemClock
from booking.domain.commands import CreateUser
from booking.domain.identity import TENANT_CLAIM
from booking.domain.principal import Principal
from booking.domain.roles import Role
from booking.domain.users import UserService

from bookingctl.tenants import Target

SIMULATOR_DOMAIN = "simulator.amazonses.com"
LABEL = re.compile(r"[a-z0-9][a-z0-9-]{0,47}")
# Who creates the user, as the API would see them: an Owner of the clinic.
ACTOR_ID = "test-run"


class TestUserError(Exception):
    """The user cannot be made or removed, in words for a person."""


@dataclass(frozen=True)
class TestUser:
    email: str
    password: str
    role: Role
    tenant_id: str
    user_id: str

    def environment(self) -> dict[str, str]:
        """The variables the browser suite reads (docs/DEPLOYMENT.md, "Testing a deployed stack")."""
        return {
            "BOOKING_TEST_USER_EMAIL": self.email,
            "BOOKING_TEST_USER_PASSWORD": self.password,
            "BOOKING_TEST_USER_ROLE": self.role.value,
            "BOOKING_TEST_TENANT": self.tenant_id,
        }


def address_of(label: str) -> str:
    """The simulator address of a run's label (``ci-123-1-dev``)."""
    if not LABEL.fullmatch(label):
        raise TestUserError(
            f"invalid label {label!r}: use lowercase letters, digits and hyphens (at most 48)"
        )
    return f"success+{label}@{SIMULATOR_DOMAIN}"


def new_password() -> str:
    """Random, and of every class the pools' password policy asks for."""
    return f"Run-{secrets.token_hex(12)}-Zq7!"


def _users(target: Target) -> tuple[UserService, DynamoTable]:
    table = DynamoTable(target.table_name, client=target.dynamodb)
    service = UserService(
        directory=CognitoUserDirectory(target.user_pool_id, client=target.cognito),
        users=DynamoUserRepository(table),
        context=DynamoContextReader(table),
        clock=SystemClock(),
    )
    return service, table


def create(target: Target, *, tenant_id: str, role: Role, label: str) -> TestUser:
    """A user of ``tenant_id`` with ``role`` and a fresh password, signed in by nobody yet."""
    email = address_of(label)
    service, table = _users(target)
    if DynamoCatalogRepository(table).get_tenant(tenant_id) is None:
        raise TestUserError(
            f"{target.description} has no clinic {tenant_id!r}: load the demo clinic once with "
            "`bookingctl seed --stack <stack>`, or pass --tenant"
        )
    owner = Principal(user_id=ACTOR_ID, tenant_id=tenant_id, role=Role.OWNER)
    user = service.create(owner, CreateUser(email=email, name=f"Test run {label}", role=role))
    password = new_password()
    target.cognito.admin_set_user_password(
        UserPoolId=target.user_pool_id, Username=email, Password=password, Permanent=True
    )
    return TestUser(email, password, role, tenant_id, user.id)


def remove(target: Target, email: str) -> bool:
    """Delete the test user ``email``'s identity and record; False when it was gone already."""
    if not email.endswith(f"@{SIMULATOR_DOMAIN}"):
        raise TestUserError(f"{email} is not a test user's address (…@{SIMULATOR_DOMAIN}): not removed")
    try:
        found = target.cognito.admin_get_user(UserPoolId=target.user_pool_id, Username=email)
    except target.cognito.exceptions.UserNotFoundException:
        return False
    attributes = {attribute["Name"]: attribute["Value"] for attribute in found["UserAttributes"]}
    tenant_id, sub = attributes.get(TENANT_CLAIM, ""), attributes["sub"]
    table = DynamoTable(target.table_name, client=target.dynamodb)
    record = DynamoUserRepository(table).get_user(tenant_id, sub)
    if record is not None:
        keys = [items.key_of(items.tenant_pk(tenant_id), items.USER_PREFIX + sub)]
        keys += [
            directory.user_index_key(tenant_id, field, sub) for field in directory.indexed_values(record)
        ]
        if table.transact([{"Delete": {"TableName": table.name, "Key": key}} for key in keys]) is not None:
            raise TestUserError(f"the record of {email} is being written by another request: try again")
    CognitoUserDirectory(target.user_pool_id, client=target.cognito).delete_user(email)
    return True
