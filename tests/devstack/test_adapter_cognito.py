from devstack.adapters.cognito import (
    create_user_group,
    create_user_pool,
    create_user_pool_client,
    create_user_pool_domain,
)


def _pool(ctx, make_record):
    return create_user_pool(
        ctx,
        make_record(
            "aws:cognito/userPool:UserPool",
            "users",
            usernameAttributes=["email"],
            autoVerifiedAttributes=["email"],
            mfaConfiguration="OFF",
            passwordPolicy={
                "minimumLength": 12,
                "requireLowercase": True,
                "requireNumbers": True,
                "requireSymbols": False,
                "requireUppercase": True,
                "temporaryPasswordValidityDays": 7,
            },
            schemas=[
                {
                    "name": "tenant_id",
                    "attributeDataType": "String",
                    "mutable": False,
                    "developerOnlyAttribute": False,
                    "stringAttributeConstraints": {"minLength": "1", "maxLength": "64"},
                }
            ],
            accountRecoverySetting={"recoveryMechanisms": [{"name": "verified_email", "priority": 1}]},
            adminCreateUserConfig={"allowAdminCreateUserOnly": True},
        ),
    )


def test_the_user_pool_has_the_custom_tenant_attribute_and_password_policy(ctx, make_record):
    pool_id, outputs = _pool(ctx, make_record)

    pool = ctx.client("cognito-idp").describe_user_pool(UserPoolId=pool_id)["UserPool"]
    custom = {attribute["Name"]: attribute for attribute in pool["SchemaAttributes"]}
    assert custom["custom:tenant_id"]["Mutable"] is False
    assert custom["custom:tenant_id"]["StringAttributeConstraints"] == {"MinLength": "1", "MaxLength": "64"}
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
    assert pool["UsernameAttributes"] == ["email"]
    assert outputs["arn"] == pool["Arn"]
    # The devstack serves the pool's discovery document and managed login there.
    assert outputs["endpoint"] == f"{ctx.login_url.removeprefix('http://')}/{pool_id}"


def test_client_groups_and_domain_are_created_in_the_pool(ctx, make_record):
    pool_id, _ = _pool(ctx, make_record)
    client_id, client_outputs = create_user_pool_client(
        ctx,
        make_record(
            "aws:cognito/userPoolClient:UserPoolClient",
            "spa",
            userPoolId=pool_id,
            generateSecret=False,
            allowedOauthFlows=["code"],
            allowedOauthScopes=["openid", "email"],
            allowedOauthFlowsUserPoolClient=True,
            callbackUrls=["http://localhost:5173/callback"],
            explicitAuthFlows=["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
            supportedIdentityProviders=["COGNITO"],
        ),
    )
    for role in ("Owner", "Patient"):
        create_user_group(
            ctx, make_record("aws:cognito/userGroup:UserGroup", role, name=role, userPoolId=pool_id)
        )
    create_user_pool_domain(
        ctx,
        make_record(
            "aws:cognito/userPoolDomain:UserPoolDomain", "domain", domain="booking-dev-x", userPoolId=pool_id
        ),
    )

    cognito = ctx.client("cognito-idp")
    client = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
    assert client["CallbackURLs"] == ["http://localhost:5173/callback"]
    assert client["AllowedOAuthFlows"] == ["code"]
    assert client_outputs["id"] == client_id
    assert sorted(group["GroupName"] for group in cognito.list_groups(UserPoolId=pool_id)["Groups"]) == [
        "Owner",
        "Patient",
    ]
    assert (
        cognito.describe_user_pool_domain(Domain="booking-dev-x")["DomainDescription"]["UserPoolId"]
        == pool_id
    )
