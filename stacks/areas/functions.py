"""Compute: the dependency layer and one booking function per entry of ``FUNCTIONS``.

Each function's environment is its settings model filled from one pool of every value
a model may ask for, and its IAM policy names the ARNs behind each kind of resource
its spec's permissions list (``Access``).

The functions are built in three steps, because they sit on both sides of the user
pool and of the CDN: the pool's triggers (the identity function) before the pool, which
names them (they learn the pool from their events, and get their permissions on it in
a policy the function does not wait for); the API's functions before the API, which the
CDN fronts; the event functions (the notifications function: table stream and
Scheduler, never behind the API) after the CDN, since their emails link to the app
(``web_url``). The reminder scheduler may invoke only the notifications function, which also receives
SES's bounce and complaint events and, every hour, reads the account's sending quota.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pulumi
from booking.contract import FUNCTIONS, SEND_QUOTA_EVENT_KIND, SEND_QUOTA_SCHEDULE, Access

from components.booking_function import BookingFunction, BookingFunctionArgs
from components.cognito import PoolTriggerFunction
from components.database import Database
from components.layer import DependencyLayer, DependencyLayerArgs
from components.origin_secret import OriginSecret
from packager.lambda_artifacts import Artifacts
from packager.lambda_platform import ARCHITECTURE, RUNTIME
from stacks.areas.context import StackContext
from stacks.areas.email import EmailArea


@dataclass
class Compute:
    """What every function is built from, and every function built so far, by key."""

    context: StackContext
    artifacts: Artifacts
    layer: DependencyLayer
    database: Database
    settings_pool: dict[str, Any]
    resource_arns: dict[Access, list[Any]]
    functions: dict[str, BookingFunction] = field(default_factory=dict)

    def build(self, keys: list[str], **settings: pulumi.Input[Any]) -> dict[str, BookingFunction]:
        """The functions ``keys``, with ``settings`` added to the pool; each model takes its own."""
        config, prefix = self.context.config, self.context.prefix
        built = {
            key: BookingFunction(
                f"fn-{key}",
                BookingFunctionArgs(
                    spec=FUNCTIONS[key],
                    function_name=f"{prefix}-{key}",
                    code=pulumi.FileArchive(str(self.artifacts.code.path)),
                    code_hash=self.artifacts.code.base64_sha256,
                    layer_arn=self.layer.arn,
                    settings={**self.settings_pool, **settings, "powertools_service_name": key},
                    resource_arns=self.resource_arns,
                    log_retention_days=config.log_retention_days,
                    reserved_concurrency=config.reserved_concurrency.get(key),
                    stream_arn=self.database.stream_arn if FUNCTIONS[key].asynchronous else None,
                ),
                self.context.in_main,
            )
            for key in keys
        }
        self.functions.update(built)
        return built


@dataclass(frozen=True)
class PoolReference:
    """The user pool's id and ARN, as the functions' settings and permissions name it
    (deferred outputs: the pool is built after its triggers)."""

    user_pool_id: pulumi.Output[str]
    user_pool_arn: pulumi.Output[str]


def build_compute(
    context: StackContext,
    artifacts: Artifacts,
    database: Database,
    identity: PoolReference,
    mail: EmailArea,
    origin: OriginSecret,
) -> Compute:
    """The layer and the settings and ARNs every function is built from (no function yet)."""
    config, prefix = context.config, context.prefix
    email, scheduler = mail.email, mail.scheduler
    layer = DependencyLayer(
        "dependencies",
        DependencyLayerArgs(
            layer_name=f"{prefix}-dependencies",
            archive=pulumi.FileArchive(str(artifacts.layer.path)),
            archive_hash=artifacts.layer.base64_sha256,
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
        ),
        context.in_main,
    )
    # Every value a function's settings model may ask for; each model takes its own fields.
    settings_pool: dict[str, Any] = {
        "stage": context.stack,
        "app_version": artifacts.version,
        "table_name": database.table_name,
        "log_level": config.log_level,
        "user_pool_id": identity.user_pool_id,
        "sender_email": config.email.sender,
        "ses_configuration_set": email.configuration_set_name,
        "schedule_group_name": scheduler.group_name,
        "scheduler_role_arn": scheduler.role_arn,
        "email_allowlist": ",".join(config.email.allowlist),
        # Empty: the API's functions answer direct calls too (dev only, see StackConfig).
        "origin_secret_arn": origin.secret_arn if config.cdn.refuse_direct_api_calls else "",
    }
    resource_arns: dict[Access, list[Any]] = {
        Access.TABLE: [database.table_arn, database.table_arn.apply(lambda arn: f"{arn}/index/*")],
        Access.TABLE_STREAM: [database.stream_arn],
        Access.USER_POOL: [identity.user_pool_arn],
        Access.EMAIL_IDENTITY: [
            email.identity_arn,
            email.configuration_set_arn,
            *email.recipient_identity_arns,
        ],
        Access.SCHEDULE_GROUP: [scheduler.schedules_arn],
        Access.SCHEDULER_ROLE: [scheduler.role_arn],
        Access.ORIGIN_SECRET: [origin.secret_arn],
        # Actions with no resource type (ses:GetSendQuota); the IAM policy rule lists them.
        Access.ACCOUNT: ["*"],
    }
    return Compute(context, artifacts, layer, database, settings_pool, resource_arns)


def build_pool_triggers(compute: Compute) -> tuple[PoolTriggerFunction, ...]:
    """The functions the user pool invokes, and the triggers each one is."""
    keys = [key for key, spec in FUNCTIONS.items() if spec.user_pool_triggers]
    return tuple(
        PoolTriggerFunction(key, function.function_name, function.arn, FUNCTIONS[key].user_pool_triggers)
        for key, function in compute.build(keys).items()
    )


def build_api_functions(compute: Compute) -> dict[str, BookingFunction]:
    """The functions behind the HTTP API, by key."""
    return compute.build([key for key, spec in FUNCTIONS.items() if spec.behind_api])


def build_event_functions(
    compute: Compute, mail: EmailArea, web_url: pulumi.Input[str]
) -> dict[str, BookingFunction]:
    """The functions fed by the table stream and Scheduler; their emails link to ``web_url``."""
    functions = compute.build([key for key, spec in FUNCTIONS.items() if spec.asynchronous], web_url=web_url)
    notifications = functions["notifications"]
    mail.scheduler.allow_invoking(notifications.arn)
    # SES's bounce and complaint events mark the users; the hourly quota read feeds the alarm.
    mail.email.deliver_events_to(notifications.function_name, notifications.arn)
    mail.scheduler.every(
        "send-quota", SEND_QUOTA_SCHEDULE, notifications.arn, json.dumps({"kind": SEND_QUOTA_EVENT_KIND})
    )
    return functions
