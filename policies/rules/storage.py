"""DynamoDB tables and S3 buckets: recoverable, protected, encrypted, private."""

from __future__ import annotations

from collections.abc import Sequence

from .base import (
    Config,
    Props,
    ResourceRule,
    StackResource,
    StackRule,
    StackViolation,
    get_path,
    refers_to,
)
from .resource_types import PUBLIC_ACCESS_BLOCK, TABLE

BUCKETS = frozenset({"aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"})
BLOCK_FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def check_pitr(resource_type: str, props: Props, config: Config) -> list[str]:
    if get_path(props, "pointInTimeRecovery.enabled") is True:
        return []
    return [
        "pointInTimeRecovery.enabled is not true: enable point-in-time recovery so a bad "
        "write or deletion can be rolled back (stack config `pointInTimeRecovery: true`)"
    ]


def check_deletion_protection(resource_type: str, props: Props, config: Config) -> list[str]:
    if props.get("deletionProtectionEnabled") is True:
        return []
    return [
        "deletionProtectionEnabled is not true: protect the table against deletion "
        "(stack config `deletionProtection: true`)"
    ]


def check_table_encryption(resource_type: str, props: Props, config: Config) -> list[str]:
    if get_path(props, "serverSideEncryption.enabled") is True:
        return []
    return [
        "serverSideEncryption.enabled is not true: enable server-side encryption with a KMS "
        "key (AWS managed or kmsKeyArn) so key use is audited in CloudTrail"
    ]


def check_public_access_block(resource_type: str, props: Props, config: Config) -> list[str]:
    return [
        f"{flag} is not true: set all four public-access-block flags to true; the SPA is "
        "served through CloudFront with origin access control, never publicly"
        for flag in BLOCK_FLAGS
        if props.get(flag) is not True
    ]


def check_buckets_have_block(resources: Sequence[StackResource], config: Config) -> list[StackViolation]:
    blocks = [resource for resource in resources if resource.type == PUBLIC_ACCESS_BLOCK]
    return [
        StackViolation(
            f"{bucket.type} '{bucket.name}': no {PUBLIC_ACCESS_BLOCK} has bucket = this bucket: "
            "add a BucketPublicAccessBlock with all four flags true for it",
            bucket.urn,
        )
        for bucket in resources
        if bucket.type in BUCKETS
        and not any(refers_to(block, "bucket", bucket, "bucket", "name") for block in blocks)
    ]


TABLE_PITR = ResourceRule(
    name="table-pitr",
    description="Every DynamoDB table has point-in-time recovery enabled.",
    resource_types=frozenset({TABLE}),
    check=check_pitr,
    remediation="Set pointInTimeRecovery.enabled = true.",
)

TABLE_DELETION_PROTECTION = ResourceRule(
    name="table-deletion-protection",
    description="Every DynamoDB table is protected against deletion.",
    resource_types=frozenset({TABLE}),
    check=check_deletion_protection,
    remediation="Set deletionProtectionEnabled = true.",
)

TABLE_ENCRYPTION = ResourceRule(
    name="table-encryption",
    description="Every DynamoDB table uses KMS server-side encryption.",
    resource_types=frozenset({TABLE}),
    check=check_table_encryption,
    remediation="Set serverSideEncryption.enabled = true (optionally with kmsKeyArn).",
)

BUCKET_PUBLIC_ACCESS_BLOCK = ResourceRule(
    name="bucket-public-access-block",
    description="Every S3 public access block blocks and ignores all public ACLs and policies.",
    resource_types=frozenset({PUBLIC_ACCESS_BLOCK}),
    check=check_public_access_block,
    remediation="Set blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets = true.",
)

BUCKETS_HAVE_PUBLIC_ACCESS_BLOCK = StackRule(
    name="buckets-have-public-access-block",
    description="Every S3 bucket in the stack has a public access block.",
    resource_types=BUCKETS | {PUBLIC_ACCESS_BLOCK},
    check=check_buckets_have_block,
    remediation="Add an aws.s3.BucketPublicAccessBlock for each bucket.",
)

RULES = (
    TABLE_PITR,
    TABLE_DELETION_PROTECTION,
    TABLE_ENCRYPTION,
    BUCKET_PUBLIC_ACCESS_BLOCK,
    BUCKETS_HAVE_PUBLIC_ACCESS_BLOCK,
)
