"""S3: the SPA bucket with its public access block, ownership, encryption, versioning,
policy, and objects (the SPA's generated ``config.json``)."""

from __future__ import annotations

from typing import Any

from devstack.adapters.assets import asset_bytes
from devstack.adapters.base import Adapter, Created, EmulatorContext, as_json_text, physical_name, state
from engine.inventory import ResourceRecord


def create_bucket(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    name = physical_name(record, "bucket", max_length=63, allowed=r"[^a-z0-9.-]", lower=True)
    s3 = ctx.client("s3")
    request: dict[str, Any] = {"Bucket": name}
    if ctx.region != "us-east-1":
        request["CreateBucketConfiguration"] = {"LocationConstraint": ctx.region}
    s3.create_bucket(**request)
    if inputs.get("tags"):
        s3.put_bucket_tagging(
            Bucket=name,
            Tagging={"TagSet": [{"Key": key, "Value": str(value)} for key, value in inputs["tags"].items()]},
        )
    return name, state(
        record,
        bucket=name,
        arn=f"arn:aws:s3:::{name}",
        bucketDomainName=f"{name}.s3.amazonaws.com",
        bucketRegionalDomainName=f"{name}.s3.{ctx.region}.amazonaws.com",
        bucketRegion=ctx.region,
        region=ctx.region,
        hostedZoneId="Z3AQBSTGFYJSTF",
    )


def create_public_access_block(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    ctx.client("s3").put_public_access_block(
        Bucket=inputs["bucket"],
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": bool(inputs.get("blockPublicAcls", False)),
            "IgnorePublicAcls": bool(inputs.get("ignorePublicAcls", False)),
            "BlockPublicPolicy": bool(inputs.get("blockPublicPolicy", False)),
            "RestrictPublicBuckets": bool(inputs.get("restrictPublicBuckets", False)),
        },
    )
    return inputs["bucket"], state(record)


def create_ownership_controls(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    ctx.client("s3").put_bucket_ownership_controls(
        Bucket=inputs["bucket"],
        OwnershipControls={"Rules": [{"ObjectOwnership": inputs["rule"]["objectOwnership"]}]},
    )
    return inputs["bucket"], state(record)


def create_encryption(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    rules = []
    for rule in inputs.get("rules", []):
        default = rule.get("applyServerSideEncryptionByDefault") or {}
        converted: dict[str, Any] = {
            "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": default.get("sseAlgorithm", "AES256")}
        }
        if default.get("kmsMasterKeyId"):
            converted["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"] = default["kmsMasterKeyId"]
        if rule.get("bucketKeyEnabled") is not None:
            converted["BucketKeyEnabled"] = bool(rule["bucketKeyEnabled"])
        rules.append(converted)
    ctx.client("s3").put_bucket_encryption(
        Bucket=inputs["bucket"], ServerSideEncryptionConfiguration={"Rules": rules}
    )
    return inputs["bucket"], state(record)


def create_versioning(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    status = (inputs.get("versioningConfiguration") or {}).get("status", "Enabled")
    ctx.client("s3").put_bucket_versioning(
        Bucket=inputs["bucket"], VersioningConfiguration={"Status": status}
    )
    return inputs["bucket"], state(record)


def create_bucket_policy(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    ctx.client("s3").put_bucket_policy(Bucket=inputs["bucket"], Policy=as_json_text(inputs["policy"]))
    return inputs["bucket"], state(record)


def create_object(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    key = inputs.get("key") or record.name
    if isinstance(inputs.get("content"), str):
        body = inputs["content"].encode()
    else:
        body = asset_bytes(inputs.get("source")) or b""
    request: dict[str, Any] = {"Bucket": inputs["bucket"], "Key": key, "Body": body}
    if inputs.get("contentType"):
        request["ContentType"] = inputs["contentType"]
    if inputs.get("cacheControl"):
        request["CacheControl"] = inputs["cacheControl"]
    etag = ctx.client("s3").put_object(**request)["ETag"].strip('"')
    return f"{inputs['bucket']}/{key}", state(
        record, key=key, etag=etag, arn=f"arn:aws:s3:::{inputs['bucket']}/{key}"
    )


ADAPTERS: dict[str, Adapter] = {
    "aws:s3/bucket:Bucket": create_bucket,
    "aws:s3/bucketV2:BucketV2": create_bucket,
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": create_public_access_block,
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": create_ownership_controls,
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (
        create_encryption
    ),
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": (
        create_encryption
    ),
    "aws:s3/bucketVersioning:BucketVersioning": create_versioning,
    "aws:s3/bucketVersioningV2:BucketVersioningV2": create_versioning,
    "aws:s3/bucketPolicy:BucketPolicy": create_bucket_policy,
    "aws:s3/bucketObject:BucketObject": create_object,
    "aws:s3/bucketObjectv2:BucketObjectv2": create_object,
}
