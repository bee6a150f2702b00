"""The user pool's triggers measured by ``benchmarks.dynamodb_requests``: a patient's
self sign-up (issue 10), as Cognito invokes the ``identity`` function.

- pre sign-up reads the clinic by its web address (one ``GetItem``);
- post confirmation reads the clinic again (it may have closed sign-ups since), looks
  for the patient's record, then writes it (the record and its directory entry, one
  transaction) and binds the identity to the clinic in Cognito (not counted here).

Each is a real invocation of the packaged handler with the trigger event Cognito sends.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from contextlib import redirect_stdout
from datetime import UTC, datetime
from functools import partial
from typing import Any

from booking.adapters.dynamodb_catalog import DynamoCatalogRepository
from booking.adapters.dynamodb_table import DynamoTable
from booking.domain.models import Tenant
from booking.domain.sign_up import WEB_ADDRESS_METADATA
from booking.handlers import identity_triggers

from tests.lambdas.events import LambdaContext

Measure = Callable[[str, str, Callable[[list[str]], bool], Callable[[], Any]], Any]

# A second clinic, open to sign-ups, so the bench clinic's users are not touched.
OPEN_CLINIC = Tenant(
    id="bench-open", name="Bench open clinic", web_address="bench-open", sign_up_enabled=True
)
EMAIL = "new.patient@example.com"


def seed_open_clinic(table_name: str) -> None:
    """The clinic a patient signs up to, written before counting starts."""
    now = datetime.now(UTC)
    DynamoCatalogRepository(DynamoTable(table_name)).create_tenant(
        OPEN_CLINIC.model_copy(update={"created_at": now, "updated_at": now})
    )


def _trigger(source: str, pool_id: str, username: str, attributes: dict[str, str]) -> dict[str, Any]:
    event = {
        "version": "1",
        "region": "us-east-1",
        "userPoolId": pool_id,
        "userName": username,
        "callerContext": {"awsSdkVersion": "aws-sdk-js-3", "clientId": "bench"},
        "triggerSource": source,
        "request": {
            "userAttributes": attributes,
            "clientMetadata": {WEB_ADDRESS_METADATA: OPEN_CLINIC.web_address},
        },
        "response": {},
    }
    with redirect_stdout(io.StringIO()):  # Powertools' JSON logs
        return identity_triggers.handler(event, LambdaContext())  # type: ignore[arg-type]


def measure_sign_up(measure: Measure, cognito: Any, pool_id: str) -> None:
    # The identity SignUp leaves (moto runs no triggers: the benchmark is the pool).
    created = cognito.admin_create_user(UserPoolId=pool_id, Username=EMAIL, MessageAction="SUPPRESS")["User"]
    attributes = {item["Name"]: item["Value"] for item in created["Attributes"]}
    username = created["Username"]
    # Warm the function once (its first invocation builds its adapters and clients).
    _trigger("PreSignUp_SignUp", pool_id, username, attributes)
    measure(
        "pre sign-up trigger (PreSignUp_SignUp)",
        "1 read",
        lambda calls: calls == ["GetItem"],
        partial(_trigger, "PreSignUp_SignUp", pool_id, username, attributes),
    )
    measure(
        "post confirmation trigger (ConfirmSignUp)",
        "2 reads + 1 transaction",
        lambda calls: calls == ["GetItem", "GetItem", "TransactWriteItems"],
        partial(_trigger, "PostConfirmation_ConfirmSignUp", pool_id, username, attributes),
    )
