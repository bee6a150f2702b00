"""IAM: roles with their trust policy, inline and managed policies, attachments.

The emulator keeps every policy document, so a test can read back exactly the
least-privilege statements the program derived from ``settings.FUNCTIONS``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from devstack.adapters.base import (
    Adapter,
    Created,
    EmulatorContext,
    as_json_text,
    physical_name,
    state,
    tag_list,
)
from engine.inventory import ResourceRecord


def create_role(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    name = physical_name(record, allowed=r"[^A-Za-z0-9_+=,.@-]")
    request: dict[str, Any] = {
        "RoleName": name,
        "AssumeRolePolicyDocument": as_json_text(inputs["assumeRolePolicy"]),
        "Path": inputs.get("path", "/"),
    }
    if inputs.get("description"):
        request["Description"] = inputs["description"]
    if inputs.get("maxSessionDuration"):
        request["MaxSessionDuration"] = int(inputs["maxSessionDuration"])
    if inputs.get("permissionsBoundary"):
        request["PermissionsBoundary"] = inputs["permissionsBoundary"]
    if inputs.get("tags"):
        request["Tags"] = tag_list(inputs["tags"])
    iam = ctx.client("iam")
    role = iam.create_role(**request)["Role"]
    for policy in inputs.get("inlinePolicies") or []:
        if policy.get("name") and policy.get("policy"):
            iam.put_role_policy(
                RoleName=name, PolicyName=policy["name"], PolicyDocument=as_json_text(policy["policy"])
            )
    for policy_arn in inputs.get("managedPolicyArns") or []:
        iam.attach_role_policy(RoleName=name, PolicyArn=policy_arn)
    return name, state(
        record,
        name=name,
        arn=role["Arn"],
        uniqueId=role["RoleId"],
        createDate=str(role["CreateDate"]),
    )


def create_role_policy(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    name = physical_name(record, max_length=128, allowed=r"[^A-Za-z0-9_+=,.@-]")
    ctx.client("iam").put_role_policy(
        RoleName=inputs["role"], PolicyName=name, PolicyDocument=as_json_text(inputs["policy"])
    )
    return f"{inputs['role']}:{name}", state(record, name=name)


def create_policy(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    name = physical_name(record, max_length=128, allowed=r"[^A-Za-z0-9_+=,.@-]")
    request: dict[str, Any] = {
        "PolicyName": name,
        "PolicyDocument": as_json_text(inputs["policy"]),
        "Path": inputs.get("path", "/"),
    }
    if inputs.get("description"):
        request["Description"] = inputs["description"]
    if inputs.get("tags"):
        request["Tags"] = tag_list(inputs["tags"])
    policy = ctx.client("iam").create_policy(**request)["Policy"]
    return policy["Arn"], state(
        record, name=name, arn=policy["Arn"], policyId=policy["PolicyId"], attachmentCount=0
    )


def create_role_policy_attachment(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    ctx.client("iam").attach_role_policy(RoleName=inputs["role"], PolicyArn=inputs["policyArn"])
    digest = hashlib.sha256(inputs["policyArn"].encode()).hexdigest()[:8]
    return f"{inputs['role']}-{digest}", state(record)


ADAPTERS: dict[str, Adapter] = {
    "aws:iam/role:Role": create_role,
    "aws:iam/rolePolicy:RolePolicy": create_role_policy,
    "aws:iam/policy:Policy": create_policy,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": create_role_policy_attachment,
}
