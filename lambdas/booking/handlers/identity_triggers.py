"""The ``identity`` function: the user pool's pre sign-up, post confirmation and custom
message triggers (``FunctionSpec.user_pool_triggers``), one entry point for the three.

Cognito invokes it synchronously with a trigger event (read with Powertools' data
classes) and reads back the event it returns. Raising refuses the step: Cognito answers
the caller ``UserLambdaValidationException`` with the exception's message, so a
refused sign-up says why (``SignUpRefused``: its code first).

- ``PreSignUp_SignUp``: the clinic named by ``clientMetadata.webAddress`` must accept
  sign-ups; ``PreSignUp_AdminCreateUser`` (staff and patients an administrator
  invites) passes; any other source (a federated identity) is refused.
- ``PostConfirmation_ConfirmSignUp``: the patient is bound to that clinic as a Patient
  and recorded; ``PostConfirmation_ConfirmForgotPassword`` changes nothing.
- ``CustomMessage_*``: the pool's email in the clinic's language with its name
  (``domain.identity_messages``), or Cognito's default where no clinic is known.

The devstack invokes this same handler with the same events, since its emulated pool
runs no triggers (``devstack.cognito_triggers``).
"""

from __future__ import annotations

import os
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.data_classes.cognito_user_pool_event import (
    CustomMessageTriggerEvent,
    PostConfirmationTriggerEvent,
    PreSignUpTriggerEvent,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from booking import bootstrap
from booking.domain.identity import TENANT_CLAIM
from booking.domain.identity_messages import IdentityMessages, PoolMessageRequest
from booking.domain.sign_up import NewPatient, SelfSignUp, SignUpRefused, web_address_of
from booking.handlers.cold_start import ends_with_first_invocation
from booking.handlers.tracing import LazyTracer

FUNCTION = "identity"
logger = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME", FUNCTION))
tracer = LazyTracer()


def _sign_up() -> SelfSignUp:
    ports = bootstrap.adapters(FUNCTION)
    return SelfSignUp(ports.catalog, ports.users, ports.enrolment, ports.clock)


def _messages() -> IdentityMessages:
    ports = bootstrap.adapters(FUNCTION)
    return IdentityMessages(ports.catalog, ports.identity_renderer)


def pre_sign_up(event: PreSignUpTriggerEvent) -> None:
    if event.trigger_source == "PreSignUp_AdminCreateUser":
        return  # an administrator's invitation: the users function binds tenant and role
    if event.trigger_source != "PreSignUp_SignUp":
        raise SignUpRefused("only sign-ups with an email are accepted", code="SIGN_UP_SOURCE_REFUSED")
    tenant = _sign_up().admit(
        web_address_of(event.request.client_metadata), dict(event.request.user_attributes)
    )
    logger.info("Sign-up admitted", extra={"tenant_id": tenant.id})


def post_confirmation(event: PostConfirmationTriggerEvent) -> None:
    if event.trigger_source != "PostConfirmation_ConfirmSignUp":
        return  # a password reset confirmed: nothing about the user changes
    attributes = dict(event.request.user_attributes)
    patient = NewPatient(
        user_pool_id=event.user_pool_id,
        username=event.user_name,
        sub=attributes["sub"],
        email=attributes.get("email", ""),
        attributes=attributes,
    )
    user = _sign_up().enrol(web_address_of(event.request.client_metadata), patient)
    logger.info("Patient enrolled", extra={"tenant_id": user.tenant_id, "user_id": user.id})


def custom_message(event: CustomMessageTriggerEvent) -> None:
    request = event.request
    attributes = dict(request.user_attributes)
    message = _messages().message(
        event.trigger_source,
        PoolMessageRequest(
            tenant_id=attributes.get(TENANT_CLAIM) or None,
            web_address=web_address_of(request.client_metadata),
            recipient_name=attributes.get("name") or None,
            code_parameter=request.code_parameter,
            username_parameter=request.get("usernameParameter"),
        ),
    )
    if message is None:
        logger.info("Cognito's default message", extra={"trigger_source": event.trigger_source})
        return
    event["response"]["emailSubject"] = message.subject
    event["response"]["emailMessage"] = message.html


@ends_with_first_invocation
@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    source = str(event.get("triggerSource", ""))
    logger.append_keys(trigger_source=source, user_pool_id=event.get("userPoolId"))
    event.setdefault("response", {})
    try:
        if source.startswith("PreSignUp_"):
            pre_sign_up(PreSignUpTriggerEvent(event))
        elif source.startswith("PostConfirmation_"):
            post_confirmation(PostConfirmationTriggerEvent(event))
        elif source.startswith("CustomMessage_"):
            custom_message(CustomMessageTriggerEvent(event))
        else:
            raise ValueError(f"the identity function is no trigger for {source!r}")
    except SignUpRefused as refusal:
        logger.info("Refused", extra={"code": refusal.code})
        raise
    return event
