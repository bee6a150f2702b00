"""Data-source invokes (``aws.get_caller_identity()``, ``aws.iam.get_policy_document``, …)
answered from the emulator, so ARNs the program builds carry the emulator's account."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from devstack.adapters import secrets
from devstack.adapters.base import EmulatorContext

Invoke = Callable[[EmulatorContext, dict[str, Any]], dict[str, Any]]


def caller_identity(ctx: EmulatorContext, args: dict[str, Any]) -> dict[str, Any]:
    identity = ctx.client("sts").get_caller_identity()
    return {
        "accountId": identity["Account"],
        "arn": identity["Arn"],
        "userId": identity["UserId"],
        "id": identity["Account"],
    }


def region(ctx: EmulatorContext, args: dict[str, Any]) -> dict[str, Any]:
    name = args.get("region") or args.get("name") or ctx.region
    return {
        "name": name,
        "region": name,
        "id": name,
        "description": name,
        "endpoint": f"ec2.{name}.amazonaws.com",
    }


def partition(ctx: EmulatorContext, args: dict[str, Any]) -> dict[str, Any]:
    return {
        "partition": "aws",
        "id": "aws",
        "dnsSuffix": "amazonaws.com",
        "reverseDnsPrefix": "com.amazonaws",
    }


def _statement(statement: dict[str, Any]) -> dict[str, Any]:
    rendered: dict[str, Any] = {}
    if statement.get("sid"):
        rendered["Sid"] = statement["sid"]
    rendered["Effect"] = statement.get("effect", "Allow")
    for source, target in (
        ("actions", "Action"),
        ("notActions", "NotAction"),
        ("resources", "Resource"),
        ("notResources", "NotResource"),
    ):
        values = statement.get(source)
        if values:
            rendered[target] = values[0] if len(values) == 1 else sorted(values)
    for source, target in (("principals", "Principal"), ("notPrincipals", "NotPrincipal")):
        principals = statement.get(source)
        if principals:
            rendered[target] = {
                principal["type"]: (
                    principal["identifiers"][0]
                    if len(principal["identifiers"]) == 1
                    else principal["identifiers"]
                )
                for principal in principals
            }
    conditions: dict[str, dict[str, Any]] = {}
    for condition in statement.get("conditions") or []:
        values = condition["values"]
        conditions.setdefault(condition["test"], {})[condition["variable"]] = (
            values[0] if len(values) == 1 else values
        )
    if conditions:
        rendered["Condition"] = conditions
    return rendered


def policy_document(ctx: EmulatorContext, args: dict[str, Any]) -> dict[str, Any]:
    document = {
        "Version": args.get("version", "2012-10-17"),
        "Statement": [_statement(statement) for statement in args.get("statements") or []],
    }
    text = json.dumps(document, indent=2)
    return {
        "json": text,
        "minifiedJson": json.dumps(document, separators=(",", ":")),
        "id": hashlib.sha256(text.encode()).hexdigest()[:16],
    }


INVOKES: dict[str, Invoke] = {
    "aws:index/getCallerIdentity:getCallerIdentity": caller_identity,
    "aws:index/getRegion:getRegion": region,
    "aws:index/getPartition:getPartition": partition,
    "aws:iam/getPolicyDocument:getPolicyDocument": policy_document,
    **secrets.INVOKES,
}
