"""THE declaration of each function's environment and of what AWS it touches.

The Lambda reads its settings with these models at cold start; the BookingFunction
component builds ``environment.variables`` from the same models (so a renamed
variable cannot deploy) and derives the IAM policy from ``permissions``. The devstack
invokes each function with exactly this environment.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field

from booking.adapters import table_design


class FunctionSettings(BaseModel):
    """Variables every function has. Field ``table_name`` is variable ``TABLE_NAME``.

    A plain pydantic model read by ``from_environment`` (pydantic-settings would add
    its own import, a tenth of a cold start, for what is a dictionary lookup here)."""

    # A container validates one function's settings: the others' validators are never built.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    stage: str = Field(min_length=1, description="Stack name: dev, qas, prd or a developer's")
    table_name: str = Field(min_length=3)
    powertools_service_name: str = Field(min_length=1)
    powertools_metrics_namespace: str = Field(default="BookingPlatform")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Read by pydantic itself, not by this model: without it, the first validator a cold
    # start builds looks for pydantic plugins in the entry points of every installed
    # distribution (none of the layer's is a plugin), a scan of tens of milliseconds.
    pydantic_disable_plugins: Literal["__all__"] = "__all__"

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Self:
        """The settings from the variables named after the fields (any case); Lambda's
        own variables (``AWS_REGION``, …) are in the environment too and are ignored."""
        variables = {name.lower(): value for name, value in (environ or os.environ).items()}
        return cls.model_validate({name: variables[name] for name in cls.model_fields if name in variables})

    def to_environment(self) -> dict[str, str]:
        """The ``environment.variables`` map that makes ``type(self)()`` read back ``self``."""
        return {name.upper(): _env_value(value) for name, value in self.model_dump().items()}

    @classmethod
    def environment_names(cls) -> frozenset[str]:
        return frozenset(name.upper() for name in cls.model_fields)


def _env_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, frozenset, set)):
        return ",".join(str(item) for item in value)
    return str(value)


class ApiFunctionSettings(FunctionSettings):
    """Variables of the functions behind the HTTP API."""

    # The Secrets Manager secret whose current or previous value the distribution sends
    # to the API (``handlers/origin.py``); every request without it is refused. Empty: the
    # API also answers calls straight to its own address (dev stacks, ``npm run dev``).
    origin_secret_arn: str = ""


class CatalogsSettings(ApiFunctionSettings):
    # The release its code archive was packaged from (pyproject's version, through the
    # packager), answered by ``GET /health``.
    app_version: str = Field(min_length=1)


class AvailabilitySettings(ApiFunctionSettings):
    pass


class BookingsSettings(ApiFunctionSettings):
    # How long an Idempotency-Key is remembered (DynamoDB TTL on the record).
    idempotency_ttl_hours: int = Field(default=24, ge=1, le=24 * 7)
    # How long a lock cell outlives its own time before the table's TTL deletes it.
    lock_retention_days: int = Field(default=table_design.LOCK_RETENTION_DAYS, ge=1, le=366)


class UsersSettings(ApiFunctionSettings):
    user_pool_id: str = Field(min_length=1)


class IdentitySettings(FunctionSettings):
    """The user pool's triggers learn the pool from their event: the pool names the
    function, so the function's environment cannot name the pool."""


class NotificationsSettings(FunctionSettings):
    sender_email: str = Field(min_length=3)
    ses_configuration_set: str = Field(min_length=1)
    schedule_group_name: str = Field(min_length=1)
    scheduler_role_arn: str = Field(min_length=20)
    reminder_lead_hours: int = Field(default=24, ge=1, le=24 * 7)
    # SES sandbox: when non-empty, mail goes only to these addresses (dev stacks).
    email_allowlist: str = ""
    # The app's URL: every email links to its booking there (<web_url>/appointments/<id>).
    web_url: str = Field(pattern=r"^https?://[^/\s]+$")
    # The function's own dead-letter queue (the BookingFunction component's): deliveries
    # refused for good are handed to it, next to the events Lambda gave up on.
    dead_letter_queue_url: str = Field(pattern=r"^https?://\S+$")


# The notifications function also reads the account's SES daily quota on a schedule
# (this input, this often) and publishes how much of it is used as this metric, which
# the observability component alarms on: the quota itself is never typed into config.
SEND_QUOTA_EVENT_KIND = "send-quota"
SEND_QUOTA_SCHEDULE = "rate(1 hour)"
SEND_QUOTA_METRIC = "SesSendQuotaUsedPercent"


class Access(StrEnum):
    """Kinds of resource a function's policy statements point at; the component maps
    each to the stack's real ARNs."""

    TABLE = "table"  # the table and its indexes
    TABLE_STREAM = "table_stream"
    USER_POOL = "user_pool"
    EMAIL_IDENTITY = "email_identity"  # the SES identity and the configuration set
    SCHEDULE_GROUP = "schedule_group"  # schedules inside the stack's group
    SCHEDULER_ROLE = "scheduler_role"  # passed to EventBridge Scheduler
    ORIGIN_SECRET = "origin_secret"  # noqa: S105 (a kind of resource): the distribution's secret
    ACCOUNT = "account"  # actions with no resource type (Resource "*")


@dataclass(frozen=True)
class Permission:
    access: Access
    actions: tuple[str, ...]


# BatchGetItem: the one-request context of every operation (the caller and their tenant
# for the access gate, with the booking, professional or treatment it reads anyway).
TABLE_READ = Permission(Access.TABLE, ("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"))
# TransactWriteItems is authorised per item action, so no separate action is listed.
TABLE_WRITE = Permission(
    Access.TABLE,
    ("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"),
)

# Every function behind the API reads the origin secret (on its first request, then every
# few minutes) to refuse requests that did not come through the distribution.
ORIGIN_SECRET_READ = Permission(Access.ORIGIN_SECRET, ("secretsmanager:GetSecretValue",))


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    handler: str  # module:function inside the code archive
    settings: type[FunctionSettings]
    permissions: tuple[Permission, ...]
    description: str
    memory_mb: int = 512
    timeout_seconds: int = 10
    # Not behind the HTTP API: invoked by the table stream and by Scheduler.
    asynchronous: bool = False
    # Lambda event filter patterns (JSON) for the function's table-stream mapping; empty
    # means every record is delivered.
    stream_filter_patterns: tuple[str, ...] = ()
    # The user pool's triggers this function is (``lambda_config``'s argument names:
    # pre_sign_up, post_confirmation, custom_message): the pool invokes it, never the API.
    user_pool_triggers: tuple[str, ...] = ()

    @property
    def behind_api(self) -> bool:
        """Invoked by the HTTP API (its routes name it), not by events or the user pool."""
        return not self.asynchronous and not self.user_pool_triggers


# Only booking items (sort key ``BOOKING#<id>``, see ``table_design``) concern the
# notifications function; lock cells and idempotency records, most of the stream, are
# dropped by Lambda before any invocation. The handler still checks the key itself.
_BOOKING_KEYS = {table_design.SORT_KEY: {"S": [{"prefix": table_design.BOOKING_SORT_KEY_PREFIX}]}}
BOOKING_ITEMS_STREAM_FILTER = json.dumps({"dynamodb": {"Keys": _BOOKING_KEYS}})


FUNCTIONS: dict[str, FunctionSpec] = {
    spec.name: spec
    for spec in (
        FunctionSpec(
            "catalogs",
            "booking.handlers.catalogs.handler",
            CatalogsSettings,
            (TABLE_READ, TABLE_WRITE, ORIGIN_SECRET_READ),
            "Tenant profile, professionals and treatments",
        ),
        FunctionSpec(
            "availability",
            "booking.handlers.availability.handler",
            AvailabilitySettings,
            (TABLE_READ, ORIGIN_SECRET_READ),
            "Bookable start times",
        ),
        FunctionSpec(
            "bookings",
            "booking.handlers.bookings.handler",
            BookingsSettings,
            (TABLE_READ, TABLE_WRITE, ORIGIN_SECRET_READ),
            "Create, list, reschedule and cancel bookings",
        ),
        FunctionSpec(
            "users",
            "booking.handlers.users.handler",
            UsersSettings,
            (
                TABLE_READ,
                TABLE_WRITE,
                ORIGIN_SECRET_READ,
                Permission(
                    Access.USER_POOL,
                    # AdminDeleteUser undoes a creation whose group assignment failed; a
                    # role change lists the user's groups to leave the old role's; a user
                    # disabled is also signed out everywhere.
                    (
                        "cognito-idp:AdminCreateUser",
                        "cognito-idp:AdminAddUserToGroup",
                        "cognito-idp:AdminDeleteUser",
                        "cognito-idp:AdminListGroupsForUser",
                        "cognito-idp:AdminRemoveUserFromGroup",
                        "cognito-idp:AdminDisableUser",
                        "cognito-idp:AdminEnableUser",
                        "cognito-idp:AdminUserGlobalSignOut",
                    ),
                ),
            ),
            "The tenant's users: create, find, change, disable and enable; the caller's profile",
        ),
        FunctionSpec(
            "identity",
            "booking.handlers.identity_triggers.handler",
            IdentitySettings,
            (
                TABLE_READ,
                TABLE_WRITE,
                Permission(
                    Access.USER_POOL,
                    # A confirmed patient gets their clinic and the Patient group.
                    ("cognito-idp:AdminUpdateUserAttributes", "cognito-idp:AdminAddUserToGroup"),
                ),
            ),
            "The user pool's triggers: patients' self sign-up and the pool's emails in the clinic's words",
            user_pool_triggers=("pre_sign_up", "post_confirmation", "custom_message"),
        ),
        FunctionSpec(
            "notifications",
            "booking.handlers.notifications.handler",
            NotificationsSettings,
            (
                TABLE_READ,
                # The delivery ledger (``adapters.dynamodb_deliveries``): claims and results.
                Permission(Access.TABLE, ("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem")),
                Permission(
                    Access.TABLE_STREAM,
                    (
                        "dynamodb:DescribeStream",
                        "dynamodb:GetRecords",
                        "dynamodb:GetShardIterator",
                        "dynamodb:ListStreams",
                    ),
                ),
                Permission(Access.EMAIL_IDENTITY, ("ses:SendEmail",)),
                # The daily sending quota: GetSendQuota has no resource type.
                Permission(Access.ACCOUNT, ("ses:GetSendQuota",)),
                Permission(Access.SCHEDULE_GROUP, ("scheduler:CreateSchedule", "scheduler:DeleteSchedule")),
                Permission(Access.SCHEDULER_ROLE, ("iam:PassRole",)),
            ),
            "Confirmation, cancellation and reminder emails (stream consumer and Scheduler target)",
            timeout_seconds=30,
            asynchronous=True,
            stream_filter_patterns=(BOOKING_ITEMS_STREAM_FILTER,),
        ),
    )
}
