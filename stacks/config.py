"""The stack configuration (``Pulumi.<stack>.yaml``), validated once before any resource.

Every per-environment difference lives in the stack file under ``booking-platform:``
(camelCase keys) plus ``aws:region``. :func:`load_stack_config` reads them from the
running Pulumi program and validates them with :class:`StackConfig` (``extra="forbid"``),
so a typo or a bad value stops the program with a message naming the key.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal, Self

from booking.contract import FUNCTIONS
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

NAMESPACE = "booking-platform"
REGION_KEY = "aws:region"

# CloudWatch Logs accepts only these retention periods (days).
LOG_RETENTION_DAYS = frozenset(
    {1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}
)
LOCAL_ORIGIN_PREFIXES = ("http://localhost", "http://127.0.0.1")


class StackConfigError(Exception):
    """A stack configuration value is missing or invalid; the message names the key."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, alias_generator=to_camel, populate_by_name=True)


class Throttle(_Model):
    """Stage-wide throttling. Both limits are always set: one alone leaves the other 0."""

    burst_limit: int = Field(gt=0, le=5000)
    rate_limit: float = Field(gt=0, le=10000)


class Cors(_Model):
    allow_origins: tuple[str, ...] = Field(min_length=1)
    allow_methods: tuple[str, ...] = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
    allow_headers: tuple[str, ...] = ("authorization", "content-type", "idempotency-key")
    max_age_seconds: int = Field(default=600, ge=0, le=86400)


class Waf(_Model):
    # Requests per IP per 5-minute window before the rate rule blocks.
    rate_limit_per_ip: int = Field(ge=10, le=2_000_000_000)


class Auth(_Model):
    domain_prefix: str = Field(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
    callback_urls: tuple[str, ...] = Field(min_length=1)
    logout_urls: tuple[str, ...] = Field(min_length=1)
    mfa: Literal["OFF", "OPTIONAL", "ON"] = "OPTIONAL"
    # ADMIN_USER_PASSWORD_AUTH (IAM-signed, never from a browser): lets
    # `bookingctl local token` and tests sign users in without the hosted UI. Dev stacks only.
    admin_password_auth: bool = False


class Email(_Model):
    # The SES identity: a domain (recommended) or one address.
    identity: str = Field(min_length=3)
    sender: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    # SES sandbox: when set, mail goes only to these verified addresses (dev stacks).
    allowlist: tuple[str, ...] = ()


class Cdn(_Model):
    # A custom domain for the distribution; needs an ACM certificate in us-east-1. Only
    # then does CloudFront enforce the TLSv1.2_2021 minimum (its default certificate
    # accepts older clients whatever the setting says).
    aliases: tuple[str, ...] = ()
    certificate_arn: str | None = Field(
        default=None, pattern=r"^arn:aws:acm:us-east-1:\d{12}:certificate/.+$"
    )
    price_class: Literal["PriceClass_100", "PriceClass_200", "PriceClass_All"] = "PriceClass_100"
    # The API refuses requests that did not come through the distribution (and its WAF):
    # the origin secret (components/origin_secret.py). Required in qas and prd; dev may
    # turn it off so ``npm run dev`` and curl can call the API's own address.
    refuse_direct_api_calls: bool = True

    @model_validator(mode="after")
    def _aliases_need_a_certificate(self) -> Self:
        if self.aliases and not self.certificate_arn:
            raise ValueError("cdn.certificateArn: required when cdn.aliases is set")
        return self


class Web(_Model):
    # The app's language before a user picks one (the app's LANGUAGES, web/src/lib/config.ts).
    default_language: Literal["es", "en"] = "es"


class Alarms(_Model):
    # Where alarms are mailed; may be a ``secure:`` value. Required in prd.
    email: SecretStr | None = None
    lambda_error_rate_percent: float = Field(default=1.0, gt=0, le=100)
    api_5xx_rate_percent: float = Field(default=1.0, gt=0, le=100)


class StackConfig(_Model):
    """Everything that differs between stacks; nothing else is configurable."""

    region: str = Field(pattern=r"^[a-z]{2}(-[a-z]+)+-\d$")
    environment: Literal["dev", "qas", "prd"]
    log_retention_days: int
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    point_in_time_recovery: bool
    deletion_protection: bool
    throttle: Throttle
    cors: Cors
    waf: Waf
    auth: Auth
    email: Email
    alarms: Alarms = Alarms()
    # Reserved concurrency per function (absent: the account's unreserved pool).
    reserved_concurrency: dict[str, int] = Field(default_factory=dict)
    cdn: Cdn = Cdn()
    web: Web = Web()
    # May ``bookingctl seed`` load the demo tenant and its users? Unset: yes, except in
    # prd, which can never turn it on (seed data never reaches production).
    seed_data: bool | None = None

    @property
    def seeding_allowed(self) -> bool:
        return self.environment != "prd" and self.seed_data is not False

    @field_validator("log_retention_days")
    @classmethod
    def _retention_cloudwatch_accepts(cls, value: int) -> int:
        if value not in LOG_RETENTION_DAYS:
            raise ValueError(f"must be one of {sorted(LOG_RETENTION_DAYS)}")
        return value

    @field_validator("reserved_concurrency")
    @classmethod
    def _known_functions(cls, value: dict[str, int]) -> dict[str, int]:
        for name, limit in value.items():
            if name not in FUNCTIONS:
                raise ValueError(f"unknown function {name!r} (known: {', '.join(sorted(FUNCTIONS))})")
            if not 1 <= limit <= 1000:
                raise ValueError(f"{name}: reserved concurrency must be between 1 and 1000")
        return value

    @model_validator(mode="after")
    def _environment_rules(self) -> Self:
        for origin in self.cors.allow_origins:
            local = origin.startswith(LOCAL_ORIGIN_PREFIXES)
            if origin == "*" or not (origin.startswith("https://") or (local and self.environment == "dev")):
                raise ValueError(
                    f"cors.allowOrigins: {origin!r} is not allowed in {self.environment} "
                    "(https origins only; http://localhost in dev only; never '*')"
                )
        if self.environment != "dev" and self.auth.admin_password_auth:
            raise ValueError("auth.adminPasswordAuth: only dev stacks sign in without the hosted UI")
        if self.environment != "dev" and self.email.allowlist:
            raise ValueError("email.allowlist: only dev stacks restrict recipients")
        if self.environment in {"qas", "prd"} and not self.point_in_time_recovery:
            raise ValueError(f"pointInTimeRecovery: required in {self.environment}")
        if self.environment in {"qas", "prd"} and not self.cdn.refuse_direct_api_calls:
            raise ValueError(
                f"cdn.refuseDirectApiCalls: required in {self.environment} (no way past the WAF)"
            )
        if self.environment == "prd":
            if self.seed_data:
                raise ValueError("seedData: seed data never reaches production (prd cannot turn it on)")
            if not self.deletion_protection:
                raise ValueError("deletionProtection: required in prd")
            if self.alarms.email is None:
                raise ValueError("alarms.email: required in prd")
        return self


def _parse(value: str) -> Any:
    """Config values arrive as strings; structured ones (objects, lists, numbers) as JSON."""
    try:
        return json.loads(value)
    except ValueError:
        return value


def validate_stack_config(values: dict[str, str]) -> StackConfig:
    """Validate the raw config map (``{"booking-platform:key": "value", "aws:region": …}``)."""
    document: dict[str, Any] = {}
    for key, raw in values.items():
        namespace, _, name = key.partition(":")
        if key == REGION_KEY:
            document["region"] = raw
        elif namespace == NAMESPACE:
            if name == "region":
                raise StackConfigError(f"{key}: unknown key (the region is {REGION_KEY})")
            document[name] = _parse(raw)
    try:
        return StackConfig.model_validate(document)
    except ValidationError as error:
        raise StackConfigError(_describe(error)) from None


def _describe(error: ValidationError) -> str:
    problems = []
    for detail in error.errors(include_url=False, include_input=False):
        path = ".".join(str(part) for part in detail["loc"])
        key = REGION_KEY if path == "region" else f"{NAMESPACE}:{path}" if path else NAMESPACE
        message = str(detail["msg"]).removeprefix("Value error, ")
        if detail["type"] == "extra_forbidden":
            message = "unknown key"
        named_key, separator, rest = message.partition(": ")
        if separator and re.fullmatch(r"[A-Za-z0-9.]+", named_key):
            # Cross-field rules name the key they are about: report that key.
            key, message = f"{NAMESPACE}:{named_key}", rest
        problems.append(f"{key}: {message}")
    return "invalid stack configuration:\n  " + "\n  ".join(problems)


def load_stack_config() -> StackConfig:
    """Read this program's configuration from the Pulumi runtime and validate it."""
    from pulumi.runtime import config as runtime_config

    values: dict[str, str] = {}
    # ``pulumi up`` passes config in the environment; the mock engine via set_all_config.
    for source in (runtime_config.get_config_env(), runtime_config.CONFIG.get()):
        values.update({str(key): str(value) for key, value in source.items()})
    return validate_stack_config(values)
