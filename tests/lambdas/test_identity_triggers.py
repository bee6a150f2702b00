"""The user pool's triggers (``handlers.identity_triggers``) on moto: the real table and
Cognito adapters, events shaped as Cognito sends them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from booking import bootstrap
from booking.adapters.dynamodb_catalog import DynamoCatalogRepository
from booking.adapters.dynamodb_table import DynamoTable
from booking.adapters.dynamodb_users import DynamoUserRepository
from booking.domain.identity import TENANT_CLAIM
from booking.domain.models import AccountStatus, Tenant
from booking.domain.roles import Role
from booking.domain.sign_up import SignUpRefused
from booking.handlers import identity_triggers
from moto import mock_aws

from tests.aws import TABLE_NAME, create_table, create_user_pool, fake_credentials
from tests.factories import NOW

OPEN = Tenant(id="clinic-open", name="Clínica Abierta", web_address="abierta", sign_up_enabled=True)
CLOSED = Tenant(id="clinic-closed", name="Clínica Cerrada", web_address="cerrada")
ENGLISH = Tenant(
    id="clinic-en", name="Smile & <Co>", web_address="smile", sign_up_enabled=True, locale="en-GB"
)


class Context:
    function_name = "booking-test-identity"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:booking-test-identity"
    aws_request_id = "req-1"


@dataclass
class Pool:
    pool_id: str
    cognito: Any
    catalog: DynamoCatalogRepository
    users: DynamoUserRepository

    def unconfirmed(self, email: str, **attributes: str) -> dict[str, str]:
        """A user as SignUp leaves it (moto has no triggers: the test is the pool)."""
        created = self.cognito.admin_create_user(
            UserPoolId=self.pool_id,
            Username=email,
            UserAttributes=[{"Name": name, "Value": value} for name, value in attributes.items()],
            MessageAction="SUPPRESS",
        )["User"]
        found = {item["Name"]: item["Value"] for item in created["Attributes"]}
        return {"userName": created["Username"], **found}

    def attributes(self, username: str) -> dict[str, str]:
        user = self.cognito.admin_get_user(UserPoolId=self.pool_id, Username=username)
        return {item["Name"]: item["Value"] for item in user["UserAttributes"]}

    def groups(self, username: str) -> list[str]:
        answer = self.cognito.admin_list_groups_for_user(UserPoolId=self.pool_id, Username=username)
        return [group["GroupName"] for group in answer["Groups"]]


@pytest.fixture
def pool(monkeypatch: pytest.MonkeyPatch) -> Iterator[Pool]:
    fake_credentials(monkeypatch)
    with mock_aws():
        boto3.setup_default_session()
        create_table(boto3.client("dynamodb"))
        pool_id = create_user_pool(boto3.client("cognito-idp"))
        monkeypatch.setenv("TABLE_NAME", TABLE_NAME)
        bootstrap.reset()
        table = DynamoTable(TABLE_NAME)
        catalog = DynamoCatalogRepository(table)
        for tenant in (OPEN, CLOSED, ENGLISH):
            catalog.create_tenant(tenant.model_copy(update={"created_at": NOW, "updated_at": NOW}))
        yield Pool(pool_id, boto3.client("cognito-idp"), catalog, DynamoUserRepository(table))
        bootstrap.reset()
    boto3.DEFAULT_SESSION = None


def event(
    pool: Pool, source: str, username: str, attributes: dict[str, str], **request: Any
) -> dict[str, Any]:
    return {
        "version": "1",
        "region": "us-east-1",
        "userPoolId": pool.pool_id,
        "userName": username,
        "callerContext": {"awsSdkVersion": "aws-sdk-js-3", "clientId": "client"},
        "triggerSource": source,
        "request": {"userAttributes": attributes, **request},
        "response": {},
    }


def invoke(trigger_event: dict[str, Any]) -> dict[str, Any]:
    return identity_triggers.handler(trigger_event, Context())  # type: ignore[arg-type]


def confirmation(pool: Pool, user: dict[str, str], web_address: str = "abierta") -> dict[str, Any]:
    metadata = {"webAddress": web_address}
    return event(pool, "PostConfirmation_ConfirmSignUp", user["userName"], user, clientMetadata=metadata)


def sign_up_event(pool: Pool, web_address: str | None, **attributes: str) -> dict[str, Any]:
    metadata = {"webAddress": web_address} if web_address is not None else {}
    attributes = {"email": "ana@example.com", **attributes}
    return event(pool, "PreSignUp_SignUp", "ana@example.com", attributes, clientMetadata=metadata)


def test_a_sign_up_to_a_clinic_that_accepts_them_passes(pool: Pool) -> None:
    answer = invoke(sign_up_event(pool, "abierta"))
    assert answer["triggerSource"] == "PreSignUp_SignUp"


@pytest.mark.parametrize(
    ("web_address", "attributes", "code"),
    [
        ("cerrada", {}, "SIGN_UP_CLOSED"),
        ("nowhere", {}, "CLINIC_NOT_FOUND"),
        (None, {}, "CLINIC_REQUIRED"),
        ("abierta", {TENANT_CLAIM: "clinic-closed"}, "TENANT_NOT_ALLOWED"),
    ],
)
def test_a_sign_up_is_refused_with_its_reason(
    pool: Pool, web_address: str | None, attributes: dict[str, str], code: str
) -> None:
    with pytest.raises(SignUpRefused, match=rf"^{code}: "):
        invoke(sign_up_event(pool, web_address, **attributes))


def test_a_disabled_clinic_accepts_no_sign_up_even_if_its_setting_says_so(pool: Pool) -> None:
    pool.catalog.put_tenant(OPEN.model_copy(update={"status": AccountStatus.DISABLED}), previous=OPEN)
    with pytest.raises(SignUpRefused, match=r"^SIGN_UP_CLOSED: "):
        invoke(sign_up_event(pool, "abierta"))


def test_an_administrators_invitation_passes_the_pre_sign_up_and_a_federated_one_does_not(pool: Pool) -> None:
    attributes = {"email": "staff@example.com", TENANT_CLAIM: "clinic-closed"}
    invoke(event(pool, "PreSignUp_AdminCreateUser", "staff@example.com", attributes))
    with pytest.raises(SignUpRefused, match=r"^SIGN_UP_SOURCE_REFUSED: "):
        invoke(event(pool, "PreSignUp_ExternalProvider", "google_1", attributes))


def test_a_confirmed_patient_becomes_a_patient_of_that_clinic_only(pool: Pool) -> None:
    user = pool.unconfirmed("ana@example.com", name="Ana Pérez", phone_number="+593991234567")
    confirmed = confirmation(pool, user)
    invoke(confirmed)
    assert pool.attributes(user["userName"])[TENANT_CLAIM] == OPEN.id
    assert pool.groups(user["userName"]) == [Role.PATIENT.value]
    record = pool.users.get_user(OPEN.id, user["sub"])
    assert record is not None
    assert (record.role, record.email, record.name, record.phone) == (
        Role.PATIENT,
        "ana@example.com",
        "Ana Pérez",
        "+593991234567",
    )
    assert pool.users.get_user(CLOSED.id, user["sub"]) is None


def test_a_confirmation_delivered_twice_leaves_one_patient(pool: Pool) -> None:
    user = pool.unconfirmed("ana@example.com")
    confirmed = confirmation(pool, user)
    invoke(dict(confirmed))
    invoke(dict(confirmed))  # Cognito's retry sees the attributes it was first sent
    assert pool.groups(user["userName"]) == [Role.PATIENT.value]
    assert pool.users.list_users(OPEN.id).items[0].id == user["sub"]
    assert len(pool.users.list_users(OPEN.id).items) == 1


def test_a_clinic_that_closed_sign_ups_before_the_confirmation_refuses_it(pool: Pool) -> None:
    user = pool.unconfirmed("ana@example.com")
    pool.catalog.put_tenant(OPEN.model_copy(update={"sign_up_enabled": False}), previous=OPEN)
    confirmed = confirmation(pool, user)
    with pytest.raises(SignUpRefused, match=r"^SIGN_UP_CLOSED: "):
        invoke(confirmed)
    assert TENANT_CLAIM not in pool.attributes(user["userName"])
    assert pool.groups(user["userName"]) == []


def test_an_identity_of_a_clinic_is_never_moved_to_another(pool: Pool) -> None:
    staff = pool.unconfirmed("staff@example.com", **{TENANT_CLAIM: CLOSED.id})
    metadata = {"webAddress": "abierta"}
    with pytest.raises(SignUpRefused, match=r"^ALREADY_ENROLLED: "):
        invoke(
            event(pool, "PostConfirmation_ConfirmSignUp", staff["userName"], staff, clientMetadata=metadata)
        )
    invoke(
        event(
            pool, "PostConfirmation_ConfirmForgotPassword", staff["userName"], staff, clientMetadata=metadata
        )
    )
    assert pool.attributes(staff["userName"])[TENANT_CLAIM] == CLOSED.id
    assert pool.groups(staff["userName"]) == []
    assert pool.users.list_users(OPEN.id).items == []


def message_event(pool: Pool, source: str, attributes: dict[str, str], **metadata: str) -> dict[str, Any]:
    return event(
        pool,
        source,
        attributes.get("email", "x"),
        attributes,
        codeParameter="{####}",
        linkParameter="{##Click Here##}",
        usernameParameter="{username}" if source == "CustomMessage_AdminCreateUser" else None,
        clientMetadata=metadata,
    )


def test_an_invitation_is_in_the_clinics_language_with_its_name_and_cognitos_placeholders(pool: Pool) -> None:
    attributes = {"email": "owner@example.com", TENANT_CLAIM: ENGLISH.id, "name": "Olivia"}
    response = invoke(message_event(pool, "CustomMessage_AdminCreateUser", attributes))["response"]
    assert response["emailSubject"] == "Your access to Smile & <Co>"  # a subject is plain text
    html = response["emailMessage"]
    assert "Smile &amp; &lt;Co&gt;" in html  # HTML is escaped
    for shown in ("{username}", "{####}", "Olivia"):
        assert shown in html


def test_a_sign_up_code_names_the_clinic_of_the_web_address_in_its_language(pool: Pool) -> None:
    attributes = {"email": "ana@example.com"}
    for source in ("CustomMessage_SignUp", "CustomMessage_ResendCode"):
        response = invoke(message_event(pool, source, attributes, webAddress="abierta"))["response"]
        assert response["emailSubject"] == "Tu código de verificación para Clínica Abierta"
        assert "{####}" in response["emailMessage"]


def test_a_password_reset_is_in_the_language_of_the_users_clinic(pool: Pool) -> None:
    attributes = {"email": "owner@example.com", TENANT_CLAIM: OPEN.id}
    response = invoke(message_event(pool, "CustomMessage_ForgotPassword", attributes))["response"]
    assert response["emailSubject"] == "Cambia tu contraseña de Clínica Abierta"
    assert "{####}" in response["emailMessage"]


@pytest.mark.parametrize(
    ("source", "attributes"),
    [
        ("CustomMessage_SignUp", {"email": "ana@example.com"}),  # no clinic named
        ("CustomMessage_UpdateUserAttribute", {"email": "a@example.com", TENANT_CLAIM: OPEN.id}),
    ],
)
def test_without_a_clinic_or_for_another_message_cognitos_default_applies(
    pool: Pool, source: str, attributes: dict[str, str]
) -> None:
    assert invoke(message_event(pool, source, attributes))["response"] == {}
