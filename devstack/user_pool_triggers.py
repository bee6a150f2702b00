"""What Cognito does around a sign-up that moto does not: triggers, codes and emails.

moto's Cognito runs no Lambda triggers, sends no email, accepts any confirmation code
and lets a client write any attribute. This WSGI middleware sits in front of moto's
server, so every caller (the web app in a browser, boto3 in a test, the users
function inviting staff) meets the pool as AWS runs it:

- ``SignUp``: the client's ``WriteAttributes`` are enforced (``NotAuthorizedException``),
  the pool's pre sign-up trigger decides (``UserLambdaValidationException``), moto creates
  the user, and the verification code (generated here) is emailed in the custom-message
  trigger's words;
- ``ConfirmSignUp``: the code must be the one emailed (``CodeMismatchException``); then
  the email is verified and the post-confirmation trigger runs;
- ``ResendConfirmationCode`` (moto has none): a new code, emailed the same way;
- ``AdminCreateUser``: the pre sign-up trigger, a temporary password when none is given,
  and the invitation email unless ``MessageAction`` is ``SUPPRESS``;
- ``UpdateUserAttributes``: the client's ``WriteAttributes`` are enforced.

Triggers are the functions the pool's ``LambdaConfig`` names, invoked through the
devstack's function runtime with the events Cognito sends; until the runtime is
attached (during the deployment) requests pass through unchanged.
"""

from __future__ import annotations

import base64
import io
import json
import secrets
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from devstack.user_pool_mail import CODE_PARAMETER, LINK_PARAMETER, USERNAME_PARAMETER, message_from, send

TARGET_PREFIX = "AWSCognitoIdentityProviderService."
Answer = tuple[int, dict[str, str], bytes]


class PoolError(Exception):
    """An answer Cognito gives instead of moto's (``__type`` and message)."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message


@dataclass
class Attachment:
    invoker: Any  # devstack.functions.Invoker
    cognito: Any  # boto3 clients of the emulator
    ses: Any
    account_id: str
    region: str


class UserPoolTriggers:
    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.attachment: Attachment | None = None
        self._codes: dict[tuple[str, str], str] = {}  # (pool id, sub) -> code emailed
        self._lock = threading.Lock()
        self._actions = {
            "SignUp": self._sign_up,
            "ConfirmSignUp": self._confirm_sign_up,
            "ResendConfirmationCode": self._resend_code,
            "AdminCreateUser": self._admin_create_user,
            "UpdateUserAttributes": self._update_user_attributes,
        }

    def attach(self, attachment: Attachment) -> None:
        self.attachment = attachment

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        action = environ.get("HTTP_X_AMZ_TARGET", "").removeprefix(TARGET_PREFIX)
        handler = self._actions.get(action)
        if self.attachment is None or handler is None or environ.get("REQUEST_METHOD") != "POST":
            return self.app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = json.loads(environ["wsgi.input"].read(length) or b"{}")
        try:
            status, headers, content = handler(environ, body)
        except PoolError as error:
            status, content = 400, json.dumps({"__type": error.error_type, "message": error.message}).encode()
            headers = {"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": error.error_type}
        headers["Content-Length"] = str(len(content))
        start_response(f"{status} {'OK' if status < 400 else 'Error'}", list(headers.items()))
        return [content]

    # ------------------------------------------------------------------ moto underneath

    def _forward(self, environ: dict[str, Any], body: dict[str, Any]) -> Answer:
        content = json.dumps(body).encode()
        inner = {**environ, "wsgi.input": io.BytesIO(content), "CONTENT_LENGTH": str(len(content))}
        started: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], *_: Any) -> None:
            started.extend([int(status.split()[0]), dict(headers)])

        answer = b"".join(self.app(inner, start_response))
        headers = {k: v for k, v in started[1].items() if k.lower() != "content-length"}
        return started[0], headers, answer

    def _pool(self, client_id: str | None = None, pool_id: str | None = None) -> Any:
        from moto.cognitoidp.models import cognitoidp_backends

        assert self.attachment is not None
        backend = cognitoidp_backends[self.attachment.account_id][self.attachment.region]
        for pool in backend.user_pools.values():
            if pool.id == pool_id or (client_id is not None and client_id in pool.clients):
                return pool
        raise PoolError("ResourceNotFoundException", f"no user pool for {client_id or pool_id}")

    def _invoke(
        self, pool: Any, trigger: str, source: str, user: str, attributes: dict[str, str], **request: Any
    ) -> dict[str, Any] | None:
        """The trigger's answer (the event it returned), or None when the pool has none."""
        function = (pool.extended_config.get("LambdaConfig") or {}).get(trigger)
        if not function:
            return None
        from devstack.functions import FunctionError

        assert self.attachment is not None
        event = {
            "version": "1",
            "region": self.attachment.region,
            "userPoolId": pool.id,
            "userName": user,
            "callerContext": {"awsSdkVersion": "devstack", "clientId": request.pop("client_id", "")},
            "triggerSource": source,
            "request": {"userAttributes": attributes, **request},
            "response": {},
        }
        try:
            answer: dict[str, Any] = self.attachment.invoker.invoke(function, event)
        except FunctionError as error:
            message = f"{trigger} failed with error {error.message}."
            raise PoolError("UserLambdaValidationException", message) from error
        return answer

    @staticmethod
    def _attributes(user: Any) -> dict[str, str]:
        found = {item["Name"]: item["Value"] for item in user.attributes}
        return {**found, "cognito:user_status": _status(user)}

    @staticmethod
    def _check_writable(pool: Any, client_id: str, attributes: list[dict[str, str]]) -> None:
        client = pool.clients.get(client_id)
        writable = (client.extended_config.get("WriteAttributes") if client else None) or None
        if writable is None:
            return  # a client without the setting may write every attribute
        for attribute in attributes:
            if attribute["Name"] not in writable:
                raise PoolError(
                    "NotAuthorizedException", "A client attempted to write unauthorized attribute"
                )

    def _email(self, pool: Any, source: str, user: Any, code: str, **request: Any) -> None:
        assert self.attachment is not None
        attributes = self._attributes(user)
        if not attributes.get("email"):
            return
        answer = self._invoke(
            pool,
            "CustomMessage",
            source,
            user.username,
            attributes,
            codeParameter=CODE_PARAMETER,
            linkParameter=LINK_PARAMETER,
            usernameParameter=USERNAME_PARAMETER if source == "CustomMessage_AdminCreateUser" else None,
            **request,
        )
        message = message_from(source, answer).filled(code, attributes["email"])
        send(
            self.attachment.ses, pool.extended_config.get("EmailConfiguration"), attributes["email"], message
        )

    def _new_code(self, pool: Any, user: Any) -> str:
        code = f"{secrets.randbelow(10**6):06d}"
        with self._lock:
            self._codes[(pool.id, user.id)] = code
        return code

    @staticmethod
    def _delivery(user: Any) -> dict[str, Any]:
        email = {item["Name"]: item["Value"] for item in user.attributes}.get("email", "")
        masked = f"{email[:1]}***@{email.partition('@')[2]}"
        return {"Destination": masked, "DeliveryMedium": "EMAIL", "AttributeName": "email"}

    # ------------------------------------------------------------------ actions

    def _sign_up(self, environ: dict[str, Any], body: dict[str, Any]) -> Answer:
        pool = self._pool(client_id=body.get("ClientId"))
        attributes = list(body.get("UserAttributes") or [])
        self._check_writable(pool, body["ClientId"], attributes)
        metadata = {"clientMetadata": body.get("ClientMetadata") or {}, "client_id": body["ClientId"]}
        given = {item["Name"]: item["Value"] for item in attributes}
        self._invoke(
            pool,
            "PreSignUp",
            "PreSignUp_SignUp",
            body.get("Username", ""),
            {"email": body.get("Username", ""), **given},
            validationData=body.get("ValidationData") or {},
            **metadata,
        )
        status, headers, content = self._forward(environ, body)
        if status != 200:
            return status, headers, content
        user = pool._get_user(body["Username"])
        self._email(pool, "CustomMessage_SignUp", user, self._new_code(pool, user), **metadata)
        answer = {**json.loads(content), "UserConfirmed": False, "CodeDeliveryDetails": self._delivery(user)}
        return status, headers, json.dumps(answer).encode()

    def _confirm_sign_up(self, environ: dict[str, Any], body: dict[str, Any]) -> Answer:
        pool = self._pool(client_id=body.get("ClientId"))
        user = pool._get_user(body.get("Username", ""))
        if user is None:
            raise PoolError("UserNotFoundException", "Username/client id combination not found.")
        with self._lock:
            expected = self._codes.get((pool.id, user.id))
        if expected is None or not secrets.compare_digest(expected, str(body.get("ConfirmationCode", ""))):
            raise PoolError("CodeMismatchException", "Invalid verification code provided, please try again.")
        status, headers, content = self._forward(environ, body)
        if status != 200:
            return status, headers, content
        with self._lock:
            self._codes.pop((pool.id, user.id), None)
        assert self.attachment is not None
        self.attachment.cognito.admin_update_user_attributes(
            UserPoolId=pool.id,
            Username=user.username,
            UserAttributes=[{"Name": "email_verified", "Value": "true"}],
        )
        self._invoke(
            pool,
            "PostConfirmation",
            "PostConfirmation_ConfirmSignUp",
            user.username,
            self._attributes(user),
            clientMetadata=body.get("ClientMetadata") or {},
            client_id=body["ClientId"],
        )
        return status, headers, content

    def _resend_code(self, environ: dict[str, Any], body: dict[str, Any]) -> Answer:
        pool = self._pool(client_id=body.get("ClientId"))
        user = pool._get_user(body.get("Username", ""))
        if user is None:
            raise PoolError("UserNotFoundException", "Username/client id combination not found.")
        if _status(user) != "UNCONFIRMED":
            raise PoolError("InvalidParameterException", "User is already confirmed.")
        metadata = {"clientMetadata": body.get("ClientMetadata") or {}, "client_id": body["ClientId"]}
        self._email(pool, "CustomMessage_ResendCode", user, self._new_code(pool, user), **metadata)
        answer = {"CodeDeliveryDetails": self._delivery(user)}
        return 200, {"Content-Type": "application/x-amz-json-1.1"}, json.dumps(answer).encode()

    def _admin_create_user(self, environ: dict[str, Any], body: dict[str, Any]) -> Answer:
        pool = self._pool(pool_id=body.get("UserPoolId"))
        given = {item["Name"]: item["Value"] for item in body.get("UserAttributes") or []}
        metadata = {"clientMetadata": body.get("ClientMetadata") or {}}
        username = body.get("Username", "")
        self._invoke(
            pool, "PreSignUp", "PreSignUp_AdminCreateUser", username, {"email": username, **given}, **metadata
        )
        # Cognito makes up the temporary password it emails when the caller gives none.
        password = body.get("TemporaryPassword") or f"Tmp-{secrets.token_urlsafe(9)}-a1A!"
        status, headers, content = self._forward(environ, {**body, "TemporaryPassword": password})
        if status == 200 and body.get("MessageAction") != "SUPPRESS":
            self._email(pool, "CustomMessage_AdminCreateUser", pool._get_user(username), password, **metadata)
        return status, headers, content

    def _update_user_attributes(self, environ: dict[str, Any], body: dict[str, Any]) -> Answer:
        claims = _unverified_claims(str(body.get("AccessToken", "")))
        client_id = str(claims.get("client_id", ""))
        self._check_writable(
            self._pool(client_id=client_id), client_id, list(body.get("UserAttributes") or [])
        )
        return self._forward(environ, body)


def _unverified_claims(token: str) -> dict[str, Any]:
    """The payload of a JWT (moto checks the token itself; only the client is read here)."""
    try:
        payload = token.split(".")[1]
        claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError) as error:
        raise PoolError("NotAuthorizedException", "Invalid Access Token") from error
    return claims


def _status(user: Any) -> str:
    return str(getattr(user.status, "value", user.status))
