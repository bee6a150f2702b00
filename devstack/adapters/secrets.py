"""Secrets Manager: the origin secret and its first value, made in the emulator, so the
functions read the very secret the distribution's header is taken from."""

from __future__ import annotations

from typing import Any

from devstack.adapters.base import Adapter, Created, EmulatorContext, compact, physical_name, state
from engine.inventory import ResourceRecord


def create_secret(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    name = physical_name(record, max_length=512, allowed=r"[^A-Za-z0-9/_+=.@-]")
    created = ctx.client("secretsmanager").create_secret(
        **compact(
            {
                "Name": name,
                "Description": inputs.get("description"),
                "KmsKeyId": inputs.get("kmsKeyId"),
                "Tags": [{"Key": k, "Value": str(v)} for k, v in (inputs.get("tags") or {}).items()] or None,
            }
        )
    )
    # The id of a secret is its ARN (what SecretVersion's secret_id and the functions name).
    return created["ARN"], state(record, name=name, arn=created["ARN"])


def create_secret_version(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    request: dict[str, Any] = {"SecretId": inputs["secretId"], "SecretString": inputs.get("secretString")}
    if inputs.get("versionStages"):
        request["VersionStages"] = list(inputs["versionStages"])
    put = ctx.client("secretsmanager").put_secret_value(**compact(request))
    return f"{put['ARN']}|{put['VersionId']}", state(
        record, arn=put["ARN"], versionId=put["VersionId"], versionStages=put.get("VersionStages")
    )


def random_password(ctx: EmulatorContext, args: dict[str, Any]) -> dict[str, Any]:
    """``aws.secretsmanager.get_random_password``: Secrets Manager's own generator."""
    options = {
        "PasswordLength": "passwordLength",
        "ExcludeCharacters": "excludeCharacters",
        "ExcludeNumbers": "excludeNumbers",
        "ExcludePunctuation": "excludePunctuation",
        "ExcludeUppercase": "excludeUppercase",
        "ExcludeLowercase": "excludeLowercase",
        "IncludeSpace": "includeSpace",
        "RequireEachIncludedType": "requireEachIncludedType",
    }
    request = compact({target: args.get(source) for target, source in options.items()})
    if "PasswordLength" in request:
        request["PasswordLength"] = int(request["PasswordLength"])
    password = ctx.client("secretsmanager").get_random_password(**request)["RandomPassword"]
    return {"randomPassword": password, "id": "random-password"}


def secret_version(ctx: EmulatorContext, args: dict[str, Any]) -> dict[str, Any]:
    """``aws.secretsmanager.get_secret_version``: the value as the emulator holds it."""
    request = compact(
        {
            "SecretId": args["secretId"],
            "VersionId": args.get("versionId"),
            "VersionStage": args.get("versionStage"),
        }
    )
    found = ctx.client("secretsmanager").get_secret_value(**request)
    return {
        "arn": found["ARN"],
        "secretId": args["secretId"],
        "secretString": found.get("SecretString", ""),
        "versionId": found["VersionId"],
        "versionStages": found.get("VersionStages", []),
        "createdDate": str(found.get("CreatedDate", "")),
        "id": f"{found['ARN']}|{found['VersionId']}",
    }


ADAPTERS: dict[str, Adapter] = {
    "aws:secretsmanager/secret:Secret": create_secret,
    "aws:secretsmanager/secretVersion:SecretVersion": create_secret_version,
}
INVOKES = {
    "aws:secretsmanager/getRandomPassword:getRandomPassword": random_password,
    "aws:secretsmanager/getSecretVersion:getSecretVersion": secret_version,
}
