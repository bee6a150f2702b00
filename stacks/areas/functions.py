"""Compute: the dependency layer and one booking function per entry of ``FUNCTIONS``.

Each function's environment is its settings model filled from one pool of every value
a model may ask for, and its IAM policy names the ARNs behind each kind of resource
its spec's permissions list (``Access``). Also lets the reminder scheduler invoke the
notifications function.
"""

from __future__ import annotations

from typing import Any

import pulumi
from booking.contract import FUNCTIONS, Access

from components.booking_function import ARCHITECTURE, RUNTIME, BookingFunction, BookingFunctionArgs
from components.cognito import Cognito
from components.database import Database
from components.layer import DependencyLayer, DependencyLayerArgs
from packager.lambda_artifacts import Artifacts
from stacks.areas.context import StackContext
from stacks.areas.email import EmailArea


def build_functions(
    context: StackContext, artifacts: Artifacts, database: Database, identity: Cognito, mail: EmailArea
) -> dict[str, BookingFunction]:
    """Every booking function by its key in ``FUNCTIONS``."""
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
        "table_name": database.table_name,
        "log_level": config.log_level,
        "user_pool_id": identity.user_pool_id,
        "sender_email": config.email.sender,
        "ses_configuration_set": email.configuration_set_name,
        "schedule_group_name": scheduler.group_name,
        "scheduler_role_arn": scheduler.role_arn,
        "email_allowlist": ",".join(config.email.allowlist),
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
    }
    functions = {
        key: BookingFunction(
            f"fn-{key}",
            BookingFunctionArgs(
                spec=spec,
                function_name=f"{prefix}-{key}",
                code=pulumi.FileArchive(str(artifacts.code.path)),
                code_hash=artifacts.code.base64_sha256,
                layer_arn=layer.arn,
                settings={**settings_pool, "powertools_service_name": key},
                resource_arns=resource_arns,
                log_retention_days=config.log_retention_days,
                reserved_concurrency=config.reserved_concurrency.get(key),
                stream_arn=database.stream_arn if spec.asynchronous else None,
            ),
            context.in_main,
        )
        for key, spec in FUNCTIONS.items()
    }
    scheduler.allow_invoking(functions["notifications"].arn)
    return functions
