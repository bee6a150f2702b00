"""``UserDirectory`` on Cognito: the users' sign-in identities.

A user is created by an administrator (``AdminCreateUser``: Cognito e-mails a
temporary password), with the verified e-mail as username, ``custom:tenant_id`` (the
claim every request's tenant comes from) and exactly one role group. If putting the
user in its group fails, the user is deleted again: an identity without a role would
sign in and be refused everywhere, and its e-mail could never be invited again.

A change of role moves the user to the new role's group and out of every other role
group; disabling refuses their sign-ins and signs them out everywhere (their refresh
tokens stop working; the API's gate refuses the ID tokens still alive).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import boto3
from botocore.exceptions import ClientError

from booking.domain.errors import Conflict, InvalidValue
from booking.domain.identity import TENANT_CLAIM
from booking.domain.roles import Role

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp.client import CognitoIdentityProviderClient
else:
    CognitoIdentityProviderClient = Any

USER_EXISTS = "USER_EXISTS"


def _default_client() -> CognitoIdentityProviderClient:
    return boto3.client("cognito-idp")


class CognitoUserDirectory:
    def __init__(
        self,
        user_pool_id: str,
        client: CognitoIdentityProviderClient | None = None,
        client_factory: Callable[[], CognitoIdentityProviderClient] = _default_client,
        *,
        invite: bool = True,
    ) -> None:
        self._pool_id = user_pool_id
        # False: no invitation email (a seed gives its demo users known passwords).
        self._invite = invite
        self._client = client
        self._client_factory = client_factory
        self._lock = threading.Lock()

    @property
    def client(self) -> CognitoIdentityProviderClient:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._client_factory()
        return self._client

    def create_user(self, tenant_id: str, email: str, name: str | None, role: Role) -> str:
        attributes = [
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
            {"Name": TENANT_CLAIM, "Value": tenant_id},
        ]
        if name:
            attributes.append({"Name": "name", "Value": name})
        request: dict[str, Any] = {
            "UserPoolId": self._pool_id,
            "Username": email,
            "UserAttributes": attributes,
            "DesiredDeliveryMediums": ["EMAIL"],
        }
        if not self._invite:
            request["MessageAction"] = "SUPPRESS"
        try:
            response = self.client.admin_create_user(**request)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code")
            if code in ("UsernameExistsException", "AliasExistsException"):
                raise Conflict(f"a user with e-mail {email} already exists", code=USER_EXISTS) from error
            if code == "InvalidParameterException":
                raise InvalidValue(error.response["Error"].get("Message", "invalid user")) from error
            raise
        user = response["User"]
        username = user.get("Username", email)
        sub = next(
            (attribute["Value"] for attribute in user.get("Attributes", []) if attribute["Name"] == "sub"),
            None,
        )
        try:
            if sub is None:
                raise RuntimeError(f"Cognito returned user {username} without a sub")
            self.client.admin_add_user_to_group(
                UserPoolId=self._pool_id, Username=username, GroupName=role.value
            )
        except Exception:
            self.delete_user(username)
            raise
        return sub

    def delete_user(self, email: str) -> None:
        # The pool signs users in by e-mail: the e-mail is the username.
        self.client.admin_delete_user(UserPoolId=self._pool_id, Username=email)

    def set_role(self, email: str, role: Role) -> None:
        self.client.admin_add_user_to_group(UserPoolId=self._pool_id, Username=email, GroupName=role.value)
        groups = self.client.admin_list_groups_for_user(UserPoolId=self._pool_id, Username=email)
        roles = {other.value for other in Role} - {role.value}
        for group in groups.get("Groups", []):
            if group.get("GroupName") in roles:
                self.client.admin_remove_user_from_group(
                    UserPoolId=self._pool_id, Username=email, GroupName=group["GroupName"]
                )

    def disable_user(self, email: str) -> None:
        self.client.admin_disable_user(UserPoolId=self._pool_id, Username=email)
        self.client.admin_user_global_sign_out(UserPoolId=self._pool_id, Username=email)

    def enable_user(self, email: str) -> None:
        self.client.admin_enable_user(UserPoolId=self._pool_id, Username=email)

    def tenant_of(self, email: str) -> str | None:
        try:
            user = self.client.admin_get_user(UserPoolId=self._pool_id, Username=email)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "UserNotFoundException":
                return None
            raise
        attributes = {attribute["Name"]: attribute["Value"] for attribute in user.get("UserAttributes", [])}
        return attributes.get(TENANT_CLAIM, "")


class CognitoPatientEnrolment:
    """``PatientEnrolment`` for the pool's triggers, which learn the pool from their event
    (the pool names the trigger function, so the function cannot name the pool)."""

    def __init__(
        self,
        client: CognitoIdentityProviderClient | None = None,
        client_factory: Callable[[], CognitoIdentityProviderClient] = _default_client,
    ) -> None:
        self._client = client
        self._client_factory = client_factory
        self._lock = threading.Lock()

    def _shared_client(self) -> CognitoIdentityProviderClient:
        with self._lock:
            if self._client is None:
                self._client = self._client_factory()
            return self._client

    def enrol_patient(self, user_pool_id: str, username: str, tenant_id: str) -> None:
        client = self._shared_client()
        client.admin_update_user_attributes(
            UserPoolId=user_pool_id,
            Username=username,
            UserAttributes=[{"Name": TENANT_CLAIM, "Value": tenant_id}],
        )
        client.admin_add_user_to_group(
            UserPoolId=user_pool_id, Username=username, GroupName=Role.PATIENT.value
        )
