"""Data: the one DynamoDB table every booking function reads and writes."""

from __future__ import annotations

from components.database import Database, DatabaseArgs
from stacks.areas.context import StackContext


def build_data(context: StackContext) -> Database:
    config = context.config
    return Database(
        "database",
        DatabaseArgs(
            table_name=f"{context.prefix}-bookings",
            point_in_time_recovery=config.point_in_time_recovery,
            deletion_protection=config.deletion_protection,
        ),
        context.in_main,
    )
