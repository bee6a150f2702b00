from booking.adapters import table_design

from devstack.adapters.dynamodb import create_table


def _table_inputs():
    return {
        "billingMode": "PAY_PER_REQUEST",
        "hashKey": table_design.PARTITION_KEY,
        "rangeKey": table_design.SORT_KEY,
        "attributes": [{"name": name, "type": "S"} for name in table_design.key_attributes()],
        "globalSecondaryIndexes": [
            {
                "name": index.name,
                "hashKey": index.partition_key,
                "rangeKey": index.sort_key,
                "projectionType": "ALL",
            }
            for index in table_design.INDEXES
        ],
        "streamEnabled": True,
        "streamViewType": "NEW_AND_OLD_IMAGES",
        "ttl": {"attributeName": table_design.TTL_ATTRIBUTE, "enabled": True},
        "pointInTimeRecovery": {"enabled": True},
        "serverSideEncryption": {"enabled": True},
        "deletionProtectionEnabled": False,
        "tags": {"stack": "dev"},
    }


def test_the_table_is_created_with_the_declared_keys_indexes_stream_and_ttl(ctx, make_record):
    table_id, outputs = create_table(
        ctx, make_record("aws:dynamodb/table:Table", "bookings", **_table_inputs())
    )

    client = ctx.client("dynamodb")
    table = client.describe_table(TableName=table_id)["Table"]
    assert {key["AttributeName"]: key["KeyType"] for key in table["KeySchema"]} == {
        "pk": "HASH",
        "sk": "RANGE",
    }
    assert sorted(index["IndexName"] for index in table["GlobalSecondaryIndexes"]) == [
        "gsi1",
        "gsi2",
        "gsi3",
        "gsi4",
    ]
    assert table["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert client.describe_time_to_live(TableName=table_id)["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "ENABLED",
        "AttributeName": "expiresAt",
    }
    backups = client.describe_continuous_backups(TableName=table_id)["ContinuousBackupsDescription"]
    assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    assert outputs["name"] == table_id
    assert outputs["arn"] == table["TableArn"]
    assert outputs["streamArn"] == table["LatestStreamArn"]
    assert outputs["hashKey"] == "pk"


def test_an_unnamed_table_gets_a_stable_auto_name_and_a_named_one_keeps_its_name(ctx, make_record):
    record = make_record("aws:dynamodb/table:Table", "auto", **_table_inputs())
    table_id, _ = create_table(ctx, record)
    assert table_id.startswith("auto-")
    assert len(table_id) == len("auto-") + 7

    named, _ = create_table(
        ctx, make_record("aws:dynamodb/table:Table", "x", name="given-table-name", **_table_inputs())
    )
    assert named == "given-table-name"
