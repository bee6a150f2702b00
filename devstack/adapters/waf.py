"""WAFv2: the web ACL, created in the emulator with the request AWS would get.

The program's camelCase inputs become the ``CreateWebACL`` request by walking
botocore's own model of that request: each key must name a member of its shape (case
and underscores aside, which is all that separates pulumi_aws's names from the API's),
and botocore then validates the request (required members, types, minimums) before it
is sent. moto checks little beyond that, so the rules AWS applies to a web ACL's rules
and that moto lacks are checked here: unique names and priorities, and the action
that fits the statement (``overrideAction`` for a rule group, ``action`` otherwise).
A malformed rule thus fails ``make local`` and the tests, not a deploy.

The ACL's association is the distribution's ``webAclId``: the CloudFront adapter
checks that it names a CLOUDFRONT-scope ACL that exists here. The emulated
distribution does not apply the rules (``devstack.backend.LIMITS``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from botocore.model import Shape, StructureShape

from devstack.adapters.base import Adapter, Created, EmulatorContext, compact, physical_name, state, tag_list
from engine.inventory import ResourceRecord

# CLOUDFRONT-scope web ACLs live in us-east-1 (the ``global`` ARNs).
CLOUDFRONT_REGION = "us-east-1"
RULE_GROUP_STATEMENTS = frozenset({"ManagedRuleGroupStatement", "RuleGroupReferenceStatement"})
# Arguments that are not part of the request body (or are sent as their own parameters).
NOT_IN_THE_REQUEST = frozenset({"name", "namePrefix", "scope", "description", "tags", "tagsAll", "region"})
WEB_ACL_ARN = re.compile(r"^arn:aws:wafv2:[a-z0-9-]+:\d{12}:(global|regional)/webacl/([^/]+)/([^/]+)$")


class InvalidWebAcl(ValueError):
    """The program's web ACL is not one AWS would accept; the message names the field."""


def _key(name: str) -> str:
    return name.replace("_", "").lower()


def to_request(value: Any, shape: Shape, path: str) -> Any:
    """``value`` (pulumi_aws's camelCase) in the API's member names of ``shape``."""
    if isinstance(shape, StructureShape):
        if not isinstance(value, dict):
            raise InvalidWebAcl(f"{path}: expected an object ({shape.name}), got {value!r}")
        members = {_key(name): name for name in shape.members}
        request = {}
        for key, item in value.items():
            member = members.get(_key(key))
            if member is None:
                known = ", ".join(sorted(shape.members))
                raise InvalidWebAcl(f"{path}.{key}: not a field of {shape.name} (its fields: {known})")
            request[member] = to_request(item, shape.members[member], f"{path}.{key}")
        return request
    if shape.type_name == "map":
        # pulumi_aws writes a map as a list of entries with a ``key`` (customResponseBodies).
        entries = {item.pop("key"): item for item in map(dict, value)} if isinstance(value, list) else value
        if not isinstance(entries, dict):
            raise InvalidWebAcl(f"{path}: expected a map, got {value!r}")
        value_shape = shape.value  # type: ignore[attr-defined]
        return {key: to_request(item, value_shape, f"{path}.{key}") for key, item in entries.items()}
    if shape.type_name == "list":
        if not isinstance(value, list):
            raise InvalidWebAcl(f"{path}: expected a list, got {value!r}")
        member_shape = shape.member  # type: ignore[attr-defined]
        return [to_request(item, member_shape, f"{path}[{index}]") for index, item in enumerate(value)]
    return value


def check_rules(rules: list[dict[str, Any]]) -> None:
    """What AWS refuses in a web ACL's rules and moto accepts."""
    for field in ("Name", "Priority"):
        seen = [rule.get(field) for rule in rules]
        duplicates = sorted({str(item) for item in seen if seen.count(item) > 1})
        if duplicates:
            raise InvalidWebAcl(f"rules: two rules with the same {field.lower()}: {', '.join(duplicates)}")
    for rule in rules:
        statement = set(rule.get("Statement") or {})
        group = bool(statement & RULE_GROUP_STATEMENTS)
        where = f"rules.{rule.get('Name')}"
        if group and ("Action" in rule or "OverrideAction" not in rule):
            raise InvalidWebAcl(f"{where}: a rule group statement takes overrideAction, not action")
        if not group and ("OverrideAction" in rule or "Action" not in rule):
            raise InvalidWebAcl(f"{where}: a rule with its own statement takes action, not overrideAction")


def create_web_acl(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    client = ctx.client("wafv2")
    shape = client.meta.service_model.operation_model("CreateWebACL").input_shape
    name = physical_name(record, max_length=128, allowed=r"[^A-Za-z0-9_-]")
    program = {key: value for key, value in inputs.items() if key not in NOT_IN_THE_REQUEST}
    if "ruleJson" in program:  # the rules as the API's JSON instead of arguments
        program["rules"] = json.loads(program.pop("ruleJson"))
    request = to_request(program, shape, "webAcl")
    check_rules(request.get("Rules", []))
    summary = client.create_web_acl(
        Name=name,
        Scope=inputs.get("scope", "REGIONAL"),
        **compact({"Description": inputs.get("description")}),
        **({"Tags": tag_list(inputs["tags"])} if inputs.get("tags") else {}),
        **request,
    )["Summary"]
    return summary["Id"], state(
        record, id=summary["Id"], arn=summary["ARN"], name=name, lockToken=summary["LockToken"], capacity=0
    )


def web_acl_exists(ctx: EmulatorContext, web_acl_arn: str) -> bool:
    """Whether ``web_acl_arn`` names a CLOUDFRONT-scope web ACL in the emulator."""
    match = WEB_ACL_ARN.match(web_acl_arn)
    if match is None or match.group(1) != "global":
        return False
    client = ctx.client("wafv2")
    try:
        client.get_web_acl(Name=match.group(2), Id=match.group(3), Scope="CLOUDFRONT")
    except client.exceptions.WAFNonexistentItemException:
        return False
    return True


ADAPTERS: dict[str, Adapter] = {
    "aws:wafv2/webAcl:WebAcl": create_web_acl,
}
