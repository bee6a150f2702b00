"""Cognito: the user pool (schema with ``custom:tenant_id``), app client, groups, domain.

moto signs the pool's tokens with RS256 and serves the JWKS, so the gateway's JWT
authorizer checks real signatures against the pool this adapter created. The pool's
endpoint is the devstack's managed login (``devstack.login``), which serves the
pool's OIDC discovery document and sign-in pages on top of moto.
"""

from __future__ import annotations

from typing import Any

from components.public_urls import host_of
from devstack.adapters.base import Adapter, Created, EmulatorContext, compact, physical_name, state
from engine.inventory import ResourceRecord


def _schema_attribute(attribute: dict[str, Any]) -> dict[str, Any]:
    converted: dict[str, Any] = compact(
        {
            "Name": attribute["name"],
            "AttributeDataType": attribute.get("attributeDataType", "String"),
            "DeveloperOnlyAttribute": attribute.get("developerOnlyAttribute"),
            "Mutable": attribute.get("mutable"),
            "Required": attribute.get("required"),
        }
    )
    strings = attribute.get("stringAttributeConstraints")
    if strings:
        converted["StringAttributeConstraints"] = compact(
            {"MinLength": strings.get("minLength"), "MaxLength": strings.get("maxLength")}
        )
    numbers = attribute.get("numberAttributeConstraints")
    if numbers:
        converted["NumberAttributeConstraints"] = compact(
            {"MinValue": numbers.get("minValue"), "MaxValue": numbers.get("maxValue")}
        )
    return converted


def _password_policy(policy: dict[str, Any]) -> dict[str, Any]:
    return compact(
        {
            "MinimumLength": policy.get("minimumLength"),
            "RequireUppercase": policy.get("requireUppercase"),
            "RequireLowercase": policy.get("requireLowercase"),
            "RequireNumbers": policy.get("requireNumbers"),
            "RequireSymbols": policy.get("requireSymbols"),
            "TemporaryPasswordValidityDays": policy.get("temporaryPasswordValidityDays"),
        }
    )


def create_user_pool(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    request: dict[str, Any] = {"PoolName": physical_name(record, max_length=128)}
    if inputs.get("schemas"):
        request["Schema"] = [_schema_attribute(attribute) for attribute in inputs["schemas"]]
    if inputs.get("passwordPolicy"):
        request["Policies"] = {"PasswordPolicy": _password_policy(inputs["passwordPolicy"])}
    for source, target in (
        ("usernameAttributes", "UsernameAttributes"),
        ("aliasAttributes", "AliasAttributes"),
        ("autoVerifiedAttributes", "AutoVerifiedAttributes"),
        ("mfaConfiguration", "MfaConfiguration"),
        ("deletionProtection", "DeletionProtection"),
    ):
        if inputs.get(source):
            request[target] = inputs[source]
    recovery = inputs.get("accountRecoverySetting") or {}
    if recovery.get("recoveryMechanisms"):
        request["AccountRecoverySetting"] = {
            "RecoveryMechanisms": [
                {"Name": mechanism["name"], "Priority": int(mechanism["priority"])}
                for mechanism in recovery["recoveryMechanisms"]
            ]
        }
    admin_create = inputs.get("adminCreateUserConfig") or {}
    if admin_create.get("allowAdminCreateUserOnly") is not None:
        request["AdminCreateUserConfig"] = {
            "AllowAdminCreateUserOnly": bool(admin_create["allowAdminCreateUserOnly"])
        }
    triggers = {
        key[:1].upper() + key[1:]: arn for key, arn in (inputs.get("lambdaConfig") or {}).items() if arn
    }
    if triggers:  # moto stores them; the devstack runs them (devstack.user_pool_triggers)
        request["LambdaConfig"] = triggers
    email = inputs.get("emailConfiguration") or {}
    if email:
        request["EmailConfiguration"] = compact(
            {
                "EmailSendingAccount": email.get("emailSendingAccount"),
                "SourceArn": email.get("sourceArn"),
                "From": email.get("fromEmailAddress"),
                "ReplyToEmailAddress": email.get("replyToEmailAddress"),
                "ConfigurationSet": email.get("configurationSet"),
            }
        )
    username = inputs.get("usernameConfiguration") or {}
    if username.get("caseSensitive") is not None:
        request["UsernameConfiguration"] = {"CaseSensitive": bool(username["caseSensitive"])}
    if inputs.get("tags"):
        request["UserPoolTags"] = dict(inputs["tags"])
    pool = ctx.client("cognito-idp").create_user_pool(**request)["UserPool"]
    pool_id = pool["Id"]
    return pool_id, state(
        record,
        id=pool_id,
        name=pool["Name"],
        arn=pool["Arn"],
        # Where the devstack serves the pool's OIDC discovery and managed login (the
        # tokens still carry AWS's issuer, which the API's authorizer checks).
        endpoint=f"{host_of(ctx.login_url)}/{pool_id}",
        creationDate=str(pool.get("CreationDate", "")),
        lastModifiedDate=str(pool.get("LastModifiedDate", "")),
        estimatedNumberOfUsers=0,
    )


def create_user_pool_client(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    request: dict[str, Any] = {
        "UserPoolId": inputs["userPoolId"],
        "ClientName": physical_name(record, max_length=128),
        "GenerateSecret": bool(inputs.get("generateSecret", False)),
    }
    for source, target in (
        ("explicitAuthFlows", "ExplicitAuthFlows"),
        ("allowedOauthFlows", "AllowedOAuthFlows"),
        ("allowedOauthScopes", "AllowedOAuthScopes"),
        ("allowedOauthFlowsUserPoolClient", "AllowedOAuthFlowsUserPoolClient"),
        ("callbackUrls", "CallbackURLs"),
        ("logoutUrls", "LogoutURLs"),
        ("defaultRedirectUri", "DefaultRedirectURI"),
        ("supportedIdentityProviders", "SupportedIdentityProviders"),
        ("preventUserExistenceErrors", "PreventUserExistenceErrors"),
        ("readAttributes", "ReadAttributes"),
        ("writeAttributes", "WriteAttributes"),
        ("enableTokenRevocation", "EnableTokenRevocation"),
        ("accessTokenValidity", "AccessTokenValidity"),
        ("idTokenValidity", "IdTokenValidity"),
        ("refreshTokenValidity", "RefreshTokenValidity"),
        ("authSessionValidity", "AuthSessionValidity"),
    ):
        if inputs.get(source) is not None:
            request[target] = inputs[source]
    units = inputs.get("tokenValidityUnits") or {}
    if units:
        request["TokenValidityUnits"] = compact(
            {
                "AccessToken": units.get("accessToken"),
                "IdToken": units.get("idToken"),
                "RefreshToken": units.get("refreshToken"),
            }
        )
    client = ctx.client("cognito-idp").create_user_pool_client(**request)["UserPoolClient"]
    return client["ClientId"], state(
        record,
        id=client["ClientId"],
        name=client["ClientName"],
        clientSecret=client.get("ClientSecret", ""),
    )


def create_user_group(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    request = compact(
        {
            "GroupName": inputs["name"],
            "UserPoolId": inputs["userPoolId"],
            "Description": inputs.get("description"),
            "Precedence": inputs.get("precedence"),
            "RoleArn": inputs.get("roleArn"),
        }
    )
    group = ctx.client("cognito-idp").create_group(**request)["Group"]
    return f"{inputs['userPoolId']}/{group['GroupName']}", state(record, name=group["GroupName"])


def create_user_pool_domain(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    request: dict[str, Any] = {"Domain": inputs["domain"], "UserPoolId": inputs["userPoolId"]}
    if inputs.get("certificateArn"):
        request["CustomDomainConfig"] = {"CertificateArn": inputs["certificateArn"]}
    answer = ctx.client("cognito-idp").create_user_pool_domain(**request)
    distribution = answer.get("CloudFrontDomain", "")
    return inputs["domain"], state(
        record,
        awsAccountId=ctx.account_id,
        cloudfrontDistribution=distribution,
        cloudfrontDistributionArn=distribution,
        cloudfrontDistributionZoneId="Z2FDTNDATAQYW2",  # CloudFront's fixed hosted zone
        version="1",
    )


ADAPTERS: dict[str, Adapter] = {
    "aws:cognito/userPool:UserPool": create_user_pool,
    "aws:cognito/userPoolClient:UserPoolClient": create_user_pool_client,
    "aws:cognito/userGroup:UserGroup": create_user_group,
    "aws:cognito/userPoolDomain:UserPoolDomain": create_user_pool_domain,
}
