"""Cognito: a password policy strong enough for patient data, and app clients that
cannot write the attributes the server alone sets (a user's tenant).

An app client without ``writeAttributes`` may write every writable attribute: a
patient could then move themselves to another clinic with ``UpdateUserAttributes``
(or choose one in ``SignUp``). The list must be explicit and leave those out."""

from __future__ import annotations

from .base import Config, Props, ResourceRule, as_list, as_number
from .resource_types import USER_POOL, USER_POOL_CLIENT


def check_password_policy(resource_type: str, props: Props, config: Config) -> list[str]:
    policy = props.get("passwordPolicy")
    if not policy:
        return [
            f"passwordPolicy is not set: set minimumLength >= {float(config['minimumLength']):g} "
            "and require lowercase, uppercase and numbers"
        ]
    problems: list[str] = []
    length = as_number(policy.get("minimumLength"))
    minimum = float(config["minimumLength"])
    if length is None or length < minimum:
        problems.append(
            f"passwordPolicy.minimumLength is {length if length is None else f'{length:g}'}: "
            f"set it to at least {minimum:g}"
        )
    for flag in as_list(config["requiredClasses"]):
        if policy.get(str(flag)) is not True:
            problems.append(f"passwordPolicy.{flag} is not true: set it so passwords mix character classes")
    return problems


COGNITO_PASSWORD_POLICY = ResourceRule(
    name="cognito-password-policy",
    description="Every Cognito user pool requires long passwords that mix character classes.",
    resource_types=frozenset({USER_POOL}),
    check=check_password_policy,
    remediation="Set passwordPolicy.minimumLength >= 8 and requireLowercase/Uppercase/Numbers = true.",
    config_schema={
        "minimumLength": {"type": "number", "default": 8, "minimum": 6},
        "requiredClasses": {
            "type": "array",
            "items": {
                "type": "string",
                "enum": ["requireLowercase", "requireUppercase", "requireNumbers", "requireSymbols"],
            },
            "default": ["requireLowercase", "requireUppercase", "requireNumbers"],
        },
    },
)


def check_client_write_attributes(resource_type: str, props: Props, config: Config) -> list[str]:
    protected = [str(name) for name in as_list(config["protectedAttributes"])]
    written = props.get("writeAttributes")
    if written is None:
        return [f"writeAttributes is not set: the client may write every attribute, {protected} included"]
    allowed = {str(name) for name in as_list(written)}
    leaked = [name for name in protected if name in allowed]
    if leaked:
        return [f"writeAttributes includes {leaked}: only the server may set them"]
    return []


COGNITO_CLIENT_WRITE_ATTRIBUTES = ResourceRule(
    name="cognito-client-write-attributes",
    description="App clients list the attributes they may write, and the tenant attribute is not one.",
    resource_types=frozenset({USER_POOL_CLIENT}),
    check=check_client_write_attributes,
    remediation="Set writeAttributes explicitly (e.g. email, name, phone_number), without custom:tenant_id.",
    config_schema={
        "protectedAttributes": {
            "type": "array",
            "items": {"type": "string"},
            "default": ["custom:tenant_id"],
        },
    },
)

RULES = (COGNITO_PASSWORD_POLICY, COGNITO_CLIENT_WRITE_ATTRIBUTES)
