"""Cognito: a password policy strong enough for patient data."""

from __future__ import annotations

from .base import Config, Props, ResourceRule, as_list, as_number

USER_POOL = "aws:cognito/userPool:UserPool"


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

RULES = (COGNITO_PASSWORD_POLICY,)
