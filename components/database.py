"""The single DynamoDB table, shaped by the table design of ``booking.contract``."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
from booking.contract import INDEXES, PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE, key_attributes


@dataclass(frozen=True)
class DatabaseArgs:
    table_name: str
    point_in_time_recovery: bool
    deletion_protection: bool


class Database(pulumi.ComponentResource):
    """On-demand, encrypted, streamed (NEW_AND_OLD_IMAGES) table with TTL and the GSIs the adapters query."""

    table_name: pulumi.Output[str]
    table_arn: pulumi.Output[str]
    stream_arn: pulumi.Output[str]

    def __init__(self, name: str, args: DatabaseArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("booking:data:Database", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.table = aws.dynamodb.Table(
            f"{name}-table",
            name=args.table_name,
            billing_mode="PAY_PER_REQUEST",
            hash_key=PARTITION_KEY,
            range_key=SORT_KEY,
            attributes=[
                aws.dynamodb.TableAttributeArgs(name=attribute, type="S") for attribute in key_attributes()
            ],
            global_secondary_indexes=[
                aws.dynamodb.TableGlobalSecondaryIndexArgs(
                    name=index.name,
                    key_schemas=[
                        aws.dynamodb.TableGlobalSecondaryIndexKeySchemaArgs(
                            attribute_name=index.partition_key, key_type="HASH"
                        ),
                        aws.dynamodb.TableGlobalSecondaryIndexKeySchemaArgs(
                            attribute_name=index.sort_key, key_type="RANGE"
                        ),
                    ],
                    projection_type="ALL",
                )
                for index in INDEXES
            ],
            stream_enabled=True,
            stream_view_type="NEW_AND_OLD_IMAGES",
            ttl=aws.dynamodb.TableTtlArgs(attribute_name=TTL_ATTRIBUTE, enabled=True),
            point_in_time_recovery=aws.dynamodb.TablePointInTimeRecoveryArgs(
                enabled=args.point_in_time_recovery
            ),
            server_side_encryption=aws.dynamodb.TableServerSideEncryptionArgs(enabled=True),
            deletion_protection_enabled=args.deletion_protection,
            opts=child.merge(pulumi.ResourceOptions(protect=args.deletion_protection)),
        )
        self.table_name = self.table.name
        self.table_arn = self.table.arn
        self.stream_arn = self.table.stream_arn
        self.register_outputs(
            {"tableName": self.table_name, "tableArn": self.table_arn, "streamArn": self.stream_arn}
        )
