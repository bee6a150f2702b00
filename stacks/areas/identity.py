"""Identity: the Cognito user pool (role groups, tenant attribute, its trigger
functions, its emails through the stack's SES identity) and the SPA's client, whose
callback and logout URLs are the configured ones plus the site's own."""

from __future__ import annotations

import pulumi

from components.cognito import Cognito, CognitoArgs, PoolEmail, PoolTriggerFunction
from stacks.areas.context import StackContext
from stacks.areas.email import EmailArea


def build_identity(
    context: StackContext,
    site_url: pulumi.Input[str],
    triggers: tuple[PoolTriggerFunction, ...],
    mail: EmailArea,
) -> Cognito:
    config = context.config
    return Cognito(
        "identity",
        CognitoArgs(
            pool_name=f"{context.prefix}-users",
            domain_prefix=config.auth.domain_prefix,
            region=config.region,
            callback_urls=config.auth.callback_urls,
            logout_urls=config.auth.logout_urls,
            mfa=config.auth.mfa,
            deletion_protection=config.deletion_protection,
            admin_password_auth=config.auth.admin_password_auth,
            site_url=site_url,
            trigger_functions=triggers,
            email=PoolEmail(
                identity_arn=mail.email.identity_arn,
                from_address=config.email.sender,
                configuration_set=mail.email.configuration_set_name,
            ),
        ),
        context.in_main,
    )
