"""DynamoDB: the table with its keys, GSIs, stream, TTL, PITR and deletion protection."""

from __future__ import annotations

from typing import Any

from devstack.adapters.base import Adapter, Created, EmulatorContext, physical_name, state, tag_list
from engine.inventory import ResourceRecord


def _key_schema(hash_key: str, range_key: str | None) -> list[dict[str, str]]:
    schema = [{"AttributeName": hash_key, "KeyType": "HASH"}]
    if range_key:
        schema.append({"AttributeName": range_key, "KeyType": "RANGE"})
    return schema


def _projection(index: dict[str, Any]) -> dict[str, Any]:
    projection: dict[str, Any] = {"ProjectionType": index.get("projectionType", "ALL")}
    if index.get("nonKeyAttributes"):
        projection["NonKeyAttributes"] = list(index["nonKeyAttributes"])
    return projection


def _index_keys(index: dict[str, Any]) -> list[dict[str, str]]:
    # pulumi_aws 7 accepts either hashKey/rangeKey or keySchemas on an index.
    if index.get("keySchemas"):
        return [
            {"AttributeName": key["attributeName"], "KeyType": key["keyType"]} for key in index["keySchemas"]
        ]
    return _key_schema(index["hashKey"], index.get("rangeKey"))


def create_table(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    client = ctx.client("dynamodb")
    name = physical_name(record, max_length=255)
    pay_per_request = inputs.get("billingMode", "PROVISIONED") == "PAY_PER_REQUEST"
    throughput = {
        "ReadCapacityUnits": int(inputs.get("readCapacity") or 1),
        "WriteCapacityUnits": int(inputs.get("writeCapacity") or 1),
    }
    request: dict[str, Any] = {
        "TableName": name,
        "AttributeDefinitions": [
            {"AttributeName": attribute["name"], "AttributeType": attribute["type"]}
            for attribute in inputs.get("attributes", [])
        ],
        "KeySchema": _key_schema(inputs["hashKey"], inputs.get("rangeKey")),
        "BillingMode": "PAY_PER_REQUEST" if pay_per_request else "PROVISIONED",
    }
    if not pay_per_request:
        request["ProvisionedThroughput"] = throughput
    indexes = []
    for index in inputs.get("globalSecondaryIndexes", []):
        gsi: dict[str, Any] = {
            "IndexName": index["name"],
            "KeySchema": _index_keys(index),
            "Projection": _projection(index),
        }
        if not pay_per_request:
            gsi["ProvisionedThroughput"] = throughput
        indexes.append(gsi)
    if indexes:
        request["GlobalSecondaryIndexes"] = indexes
    if inputs.get("streamEnabled"):
        request["StreamSpecification"] = {
            "StreamEnabled": True,
            "StreamViewType": inputs.get("streamViewType", "NEW_AND_OLD_IMAGES"),
        }
    encryption = inputs.get("serverSideEncryption") or {}
    if encryption.get("enabled"):
        request["SSESpecification"] = {"Enabled": True, "SSEType": "KMS"}
        if encryption.get("kmsKeyArn"):
            request["SSESpecification"]["KMSMasterKeyId"] = encryption["kmsKeyArn"]
    if inputs.get("deletionProtectionEnabled") is not None:
        request["DeletionProtectionEnabled"] = bool(inputs["deletionProtectionEnabled"])
    if inputs.get("tags"):
        request["Tags"] = tag_list(inputs["tags"])
    description = client.create_table(**request)["TableDescription"]

    ttl = inputs.get("ttl") or {}
    if ttl.get("enabled") and ttl.get("attributeName"):
        client.update_time_to_live(
            TableName=name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl["attributeName"]},
        )
    if (inputs.get("pointInTimeRecovery") or {}).get("enabled"):
        client.update_continuous_backups(
            TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
        )
    return name, state(
        record,
        name=name,
        arn=description["TableArn"],
        streamArn=description.get("LatestStreamArn", ""),
        streamLabel=description.get("LatestStreamLabel", ""),
        billingMode=request["BillingMode"],
    )


ADAPTERS: dict[str, Adapter] = {"aws:dynamodb/table:Table": create_table}
