"""The user pool's own emails (an invitation, a verification code) in the clinic's words.

Cognito asks its custom-message trigger for the text of each email it sends and sends
it through the stack's SES identity (the pool's ``email_configuration``). The clinic is
the identity's tenant (``custom:tenant_id``: staff invited by ``AdminCreateUser``, any
user who forgot their password) or, for a patient signing up who has none yet, the
clinic named by the call's web address. The message must keep Cognito's placeholders
(the code ``{####}``, the username ``{username}`` of an invitation): Cognito puts the
secret in, never the trigger, and refuses a message without them. Where no clinic is
known the trigger leaves Cognito's default message.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from booking.domain.models import Tenant
from booking.domain.ports import CatalogReader, IdentityMessageRenderer


class IdentityMessageKind(StrEnum):
    """Which email the pool sends; the value names its templates."""

    INVITATION = "invitation"  # AdminCreateUser: username and temporary password
    SIGN_UP_CODE = "sign_up_code"  # SignUp and ResendConfirmationCode
    PASSWORD_RESET = "password_reset"  # noqa: S105 - ForgotPassword (a template name, no secret)


# Cognito's trigger sources, and the email each one asks for.
TRIGGER_KINDS: dict[str, IdentityMessageKind] = {
    "CustomMessage_AdminCreateUser": IdentityMessageKind.INVITATION,
    "CustomMessage_SignUp": IdentityMessageKind.SIGN_UP_CODE,
    "CustomMessage_ResendCode": IdentityMessageKind.SIGN_UP_CODE,
    "CustomMessage_ForgotPassword": IdentityMessageKind.PASSWORD_RESET,
}


@dataclass(frozen=True)
class IdentityMessageFacts:
    kind: IdentityMessageKind
    tenant: Tenant
    recipient_name: str | None
    code_parameter: str  # Cognito's placeholder for the code or temporary password
    username_parameter: str | None  # … and for the username (invitations)


@dataclass(frozen=True)
class IdentityMessage:
    subject: str
    html: str


@dataclass(frozen=True)
class IdentityMessages:
    catalog: CatalogReader
    renderer: IdentityMessageRenderer

    def message(
        self,
        trigger_source: str,
        facts: PoolMessageRequest,
    ) -> IdentityMessage | None:
        """The email for ``trigger_source``, or None: Cognito's default applies."""
        kind = TRIGGER_KINDS.get(trigger_source)
        if kind is None:
            return None
        tenant = None
        if facts.tenant_id:
            tenant = self.catalog.get_tenant(facts.tenant_id)
        elif facts.web_address:
            tenant = self.catalog.find_tenant_by_web_address(facts.web_address)
        if tenant is None:
            return None
        message = self.renderer.render(
            IdentityMessageFacts(
                kind=kind,
                tenant=tenant,
                recipient_name=facts.recipient_name,
                code_parameter=facts.code_parameter,
                username_parameter=facts.username_parameter,
            )
        )
        required = [facts.code_parameter]
        if kind is IdentityMessageKind.INVITATION and facts.username_parameter:
            required.append(facts.username_parameter)
        missing = [placeholder for placeholder in required if placeholder not in message.html]
        if missing:
            # Cognito would refuse the message and the user would get nothing.
            raise ValueError(f"the {kind} message lacks Cognito's placeholders {missing}")
        return message


@dataclass(frozen=True)
class PoolMessageRequest:
    """What the trigger event says about the recipient and the placeholders."""

    tenant_id: str | None
    web_address: str | None
    recipient_name: str | None
    code_parameter: str
    username_parameter: str | None
