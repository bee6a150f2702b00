"""Observability: the dashboard, the alarms on the API, the functions, their dead-letter
queues, the stream consumers and the SES quota, and the topic (with its optional e-mail)
they notify."""

from __future__ import annotations

import pulumi
from booking.contract import FUNCTIONS, SEND_QUOTA_METRIC

from components.api_gateway import ApiGateway
from components.booking_function import BookingFunction
from components.database import Database
from components.observability import Observability, ObservabilityArgs, SendQuotaMetric
from stacks.areas.context import StackContext


def build_observability(
    context: StackContext, api: ApiGateway, database: Database, functions: dict[str, BookingFunction]
) -> Observability:
    config = context.config
    return Observability(
        "observability",
        ObservabilityArgs(
            name_prefix=context.prefix,
            region=config.region,
            api_id=api.api_id,
            stage_name=api.stage_name,
            table_name=database.table_name,
            function_names={key: function.function_name for key, function in functions.items()},
            dead_letter_queues={
                key: function.dead_letter_queue_name
                for key, function in functions.items()
                if function.dead_letter_queue_name is not None
            },
            stream_consumers={
                key: function.function_name
                for key, function in functions.items()
                if FUNCTIONS[key].asynchronous
            },
            lambda_error_rate_percent=config.alarms.lambda_error_rate_percent,
            api_5xx_rate_percent=config.alarms.api_5xx_rate_percent,
            send_quota=SendQuotaMetric(
                namespace=FUNCTIONS["notifications"]
                .settings.model_fields["powertools_metrics_namespace"]
                .default,
                metric_name=SEND_QUOTA_METRIC,
                service="notifications",  # a function's key is its service name (areas.functions)
            ),
            alarm_email=(
                pulumi.Output.secret(config.alarms.email.get_secret_value()) if config.alarms.email else None
            ),
        ),
        context.in_main,
    )
