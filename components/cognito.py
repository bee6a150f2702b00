"""User pool, SPA client (code flow + PKCE), hosted-UI domain and the five role groups.

The pool invokes its trigger functions (``PoolTriggerFunction``: the patients' self
sign-up, the emails' custom message), each allowed to by a Lambda permission for this
pool only. Patients may sign themselves up only when a pre sign-up trigger guards the
door (it admits a clinic that accepts sign-ups); otherwise only administrators create
users. The pool's emails go through the stack's SES identity (``PoolEmail``), not
Cognito's own sender with its daily cap. The app client may write the user's email,
name and phone, never ``custom:tenant_id`` nor a group: the tenant and the role are the
server's (the users function, the post-confirmation trigger).

The client accepts the configured callback and logout URLs plus the site's own
(``<site>/callback``, ``<site>/``) when it is given the site's URL. The app reads the
sign-in endpoints from this component: ``authority`` (the OIDC issuer's base URL, whose
``/.well-known/openid-configuration`` the app fetches) and ``sign_in_url`` (the
managed login, whose ``/logout`` is not in the discovery document).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws
from booking.contract import TENANT_ATTRIBUTE, TENANT_CLAIM, Role, group_precedence

from components.public_urls import browser_url, host_of, managed_login_url

CALLBACK_PATH = "/callback"  # the app's sign-in callback route
LOGOUT_PATH = "/"


@dataclass(frozen=True)
class PoolTriggerFunction:
    key: str  # names the permission resource
    function_name: pulumi.Input[str]
    arn: pulumi.Input[str]
    triggers: tuple[str, ...]  # ``UserPoolLambdaConfigArgs`` argument names


@dataclass(frozen=True)
class PoolEmail:
    """The SES identity the pool sends from (``DEVELOPER``: the stack's, not Cognito's)."""

    identity_arn: pulumi.Input[str]
    from_address: str
    configuration_set: pulumi.Input[str] | None = None


# What the app client may write: the tenant attribute never (see the module's docstring).
CLIENT_WRITE_ATTRIBUTES = ("email", "name", "phone_number")
CLIENT_READ_ATTRIBUTES = ("email", "email_verified", "name", "phone_number", TENANT_CLAIM)


@dataclass(frozen=True)
class CognitoArgs:
    pool_name: str
    domain_prefix: str
    region: str
    callback_urls: tuple[str, ...]
    logout_urls: tuple[str, ...]
    mfa: str  # OFF | OPTIONAL | ON
    deletion_protection: bool
    admin_password_auth: bool = False
    # The site that serves the app (e.g. a deferred output of the CDN's URL).
    site_url: pulumi.Input[str] | None = None
    trigger_functions: tuple[PoolTriggerFunction, ...] = ()
    email: PoolEmail | None = None


def _with_site(configured: Sequence[str], site_url: str | None, path: str) -> list[str]:
    return list(dict.fromkeys([*configured, *([f"{site_url}{path}"] if site_url else [])]))


class Cognito(pulumi.ComponentResource):
    user_pool_id: pulumi.Output[str]
    user_pool_arn: pulumi.Output[str]
    client_id: pulumi.Output[str]
    hosted_ui_domain: pulumi.Output[str]
    issuer: pulumi.Output[str]
    authority: pulumi.Output[str]
    sign_in_url: pulumi.Output[str]
    callback_urls: pulumi.Output[list[str]]
    logout_urls: pulumi.Output[list[str]]

    def __init__(self, name: str, args: CognitoArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("booking:identity:Cognito", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        # Trigger name (a ``UserPoolLambdaConfigArgs`` argument) -> the function's ARN.
        triggers: dict[str, Any] = {
            trigger: function.arn for function in args.trigger_functions for trigger in function.triggers
        }
        self.pool = aws.cognito.UserPool(
            f"{name}-pool",
            name=args.pool_name,
            username_attributes=["email"],
            auto_verified_attributes=["email"],
            password_policy=aws.cognito.UserPoolPasswordPolicyArgs(
                minimum_length=12,
                require_lowercase=True,
                require_uppercase=True,
                require_numbers=True,
                require_symbols=True,
                temporary_password_validity_days=3,
            ),
            mfa_configuration=args.mfa,
            software_token_mfa_configuration=(
                aws.cognito.UserPoolSoftwareTokenMfaConfigurationArgs(enabled=True)
                if args.mfa != "OFF"
                else None
            ),
            account_recovery_setting=aws.cognito.UserPoolAccountRecoverySettingArgs(
                recovery_mechanisms=[
                    aws.cognito.UserPoolAccountRecoverySettingRecoveryMechanismArgs(
                        name="verified_email", priority=1
                    )
                ]
            ),
            admin_create_user_config=aws.cognito.UserPoolAdminCreateUserConfigArgs(
                allow_admin_create_user_only="pre_sign_up" not in triggers
            ),
            lambda_config=aws.cognito.UserPoolLambdaConfigArgs(**triggers) if triggers else None,
            email_configuration=(
                aws.cognito.UserPoolEmailConfigurationArgs(
                    email_sending_account="DEVELOPER",
                    source_arn=args.email.identity_arn,
                    from_email_address=args.email.from_address,
                    configuration_set=args.email.configuration_set,
                )
                if args.email
                else None
            ),
            # Schema attributes cannot change after creation: the constraints are explicit
            # so an update never plans a replacement (pulumi/pulumi-aws#1237).
            schemas=[
                aws.cognito.UserPoolSchemaArgs(
                    name=TENANT_ATTRIBUTE,
                    attribute_data_type="String",
                    mutable=True,
                    developer_only_attribute=False,
                    required=False,
                    string_attribute_constraints=aws.cognito.UserPoolSchemaStringAttributeConstraintsArgs(
                        min_length="1", max_length="64"
                    ),
                )
            ],
            deletion_protection="ACTIVE" if args.deletion_protection else "INACTIVE",
            opts=child.merge(pulumi.ResourceOptions(protect=args.deletion_protection)),
        )
        site_url = pulumi.Output.from_input(args.site_url)
        self.callback_urls = site_url.apply(lambda site: _with_site(args.callback_urls, site, CALLBACK_PATH))
        self.logout_urls = site_url.apply(lambda site: _with_site(args.logout_urls, site, LOGOUT_PATH))
        self.client = aws.cognito.UserPoolClient(
            f"{name}-spa-client",
            name=f"{args.pool_name}-spa",
            user_pool_id=self.pool.id,
            generate_secret=False,  # a browser cannot keep one: code flow with PKCE instead
            allowed_oauth_flows_user_pool_client=True,
            allowed_oauth_flows=["code"],
            allowed_oauth_scopes=["openid", "email", "profile"],
            supported_identity_providers=["COGNITO"],
            callback_urls=self.callback_urls,
            logout_urls=self.logout_urls,
            explicit_auth_flows=[
                "ALLOW_USER_SRP_AUTH",
                "ALLOW_REFRESH_TOKEN_AUTH",
                *(["ALLOW_ADMIN_USER_PASSWORD_AUTH"] if args.admin_password_auth else []),
            ],
            prevent_user_existence_errors="ENABLED",
            enable_token_revocation=True,
            access_token_validity=60,
            id_token_validity=60,
            refresh_token_validity=30,
            # Units of the validities above (words, not secrets).
            token_validity_units=aws.cognito.UserPoolClientTokenValidityUnitsArgs(
                access_token="minutes",  # noqa: S106
                id_token="minutes",  # noqa: S106
                refresh_token="days",  # noqa: S106
            ),
            read_attributes=list(CLIENT_READ_ATTRIBUTES),
            # Users must not set their own tenant: only the server writes it.
            write_attributes=list(CLIENT_WRITE_ATTRIBUTES),
            opts=child,
        )
        self.domain = aws.cognito.UserPoolDomain(
            f"{name}-domain", domain=args.domain_prefix, user_pool_id=self.pool.id, opts=child
        )
        self.groups = [
            aws.cognito.UserGroup(
                f"{name}-group-{role.value.lower()}",
                name=role.value,
                user_pool_id=self.pool.id,
                precedence=group_precedence(role),
                description=f"{role.value} role",
                opts=child,
            )
            for role in Role
        ]
        self.trigger_permissions = [
            aws.lambda_.Permission(
                f"{name}-invokes-{function.key}",
                action="lambda:InvokeFunction",
                function=function.function_name,
                principal="cognito-idp.amazonaws.com",
                source_arn=self.pool.arn,
                opts=child,
            )
            for function in args.trigger_functions
        ]
        self.user_pool_id = self.pool.id
        self.user_pool_arn = self.pool.arn
        self.client_id = self.client.id
        # What the pool's tokens carry as ``iss`` (the API's JWT authorizer checks it).
        self.issuer = self.pool.id.apply(
            lambda pool_id: f"https://cognito-idp.{args.region}.amazonaws.com/{pool_id}"
        )
        # Where the app finds the issuer's discovery document: the pool's endpoint.
        self.authority = self.pool.endpoint.apply(browser_url)
        self.sign_in_url = pulumi.Output.all(self.domain.domain, self.pool.endpoint).apply(
            lambda values: managed_login_url(values[0], args.region, values[1])
        )
        self.hosted_ui_domain = self.sign_in_url.apply(host_of)
        self.register_outputs(
            {
                "userPoolId": self.user_pool_id,
                "userPoolArn": self.user_pool_arn,
                "clientId": self.client_id,
                "hostedUiDomain": self.hosted_ui_domain,
                "issuer": self.issuer,
                "authority": self.authority,
                "signInUrl": self.sign_in_url,
            }
        )
