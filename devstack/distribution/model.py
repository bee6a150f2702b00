"""The CloudFront distribution a program declared, as the devstack serves it.

Built only from the inventory: the Distribution's origins and cache behaviours (path
pattern, allowed methods, viewer-request function, response headers policy), the
CloudFront Functions' code, read back into the declared rule it was generated from
(:func:`components.viewer_requests.rule_for_code`), the ResponseHeadersPolicy's
headers and each custom origin's custom headers (the origin secret). An S3 origin is
the bucket whose regional domain it names; any other origin is a ``host:port`` the
devstack maps to what serves it (the gateway).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from components.viewer_requests import UriRewrite, rule_for_code
from engine.inventory import Inventory, ResourceRecord

DISTRIBUTION_TYPE = "aws:cloudfront/distribution:Distribution"
FUNCTION_TYPE = "aws:cloudfront/function:Function"
HEADERS_POLICY_TYPE = "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy"
BUCKET_TYPES = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")


@dataclass(frozen=True)
class BucketOrigin:
    bucket: str


@dataclass(frozen=True)
class CustomOrigin:
    domain: str  # host[:port]
    path: str = ""  # the origin path, put before the request's path
    # The origin's custom headers (name, value), added to every request forwarded to it.
    headers: tuple[tuple[str, str], ...] = ()


Origin = BucketOrigin | CustomOrigin


@dataclass(frozen=True)
class ResponseHeader:
    name: str
    value: str
    override: bool  # replace the origin's header of that name, else only add it when absent


@dataclass(frozen=True)
class Behaviour:
    path_pattern: str  # "*" for the default behaviour
    origin: Origin
    allowed_methods: frozenset[str]
    viewer_request: UriRewrite | None
    response_headers: tuple[ResponseHeader, ...]

    def matches(self, path: str) -> bool:
        return fnmatch.fnmatchcase(path, self.path_pattern)


@dataclass(frozen=True)
class ServedDistribution:
    domain: str
    default_root_object: str | None
    behaviours: tuple[Behaviour, ...]  # the ordered ones in order, the default last

    def behaviour_for(self, path: str) -> Behaviour:
        return next(behaviour for behaviour in self.behaviours if behaviour.matches(path))


def _security_headers(config: Mapping[str, Any]) -> list[ResponseHeader]:
    headers: list[ResponseHeader] = []
    csp = config.get("contentSecurityPolicy")
    if csp:
        headers.append(
            ResponseHeader("Content-Security-Policy", csp["contentSecurityPolicy"], csp["override"])
        )
    hsts = config.get("strictTransportSecurity")
    if hsts:
        value = f"max-age={int(hsts['accessControlMaxAgeSec'])}"
        value += "; includeSubDomains" if hsts.get("includeSubdomains") else ""
        value += "; preload" if hsts.get("preload") else ""
        headers.append(ResponseHeader("Strict-Transport-Security", value, hsts["override"]))
    if config.get("contentTypeOptions"):
        headers.append(
            ResponseHeader("X-Content-Type-Options", "nosniff", config["contentTypeOptions"]["override"])
        )
    frame = config.get("frameOptions")
    if frame:
        headers.append(ResponseHeader("X-Frame-Options", frame["frameOption"], frame["override"]))
    referrer = config.get("referrerPolicy")
    if referrer:
        headers.append(ResponseHeader("Referrer-Policy", referrer["referrerPolicy"], referrer["override"]))
    xss = config.get("xssProtection")
    if xss:
        value = "1" if xss.get("protection") else "0"
        value += "; mode=block" if xss.get("modeBlock") else ""
        value += f"; report={xss['reportUri']}" if xss.get("reportUri") else ""
        headers.append(ResponseHeader("X-XSS-Protection", value, xss["override"]))
    return headers


def response_headers(policy: Mapping[str, Any]) -> tuple[ResponseHeader, ...]:
    """The headers a ResponseHeadersPolicy's inputs add (security and custom headers)."""
    headers = _security_headers(policy.get("securityHeadersConfig") or {})
    for item in (policy.get("customHeadersConfig") or {}).get("items") or []:
        headers.append(ResponseHeader(item["header"], item["value"], item["override"]))
    return tuple(headers)


def _origin(origin: Mapping[str, Any], buckets: Mapping[str, str]) -> Origin:
    domain = str(origin["domainName"])
    if domain in buckets:
        return BucketOrigin(buckets[domain])
    headers = tuple((str(item["name"]), str(item["value"])) for item in origin.get("customHeaders") or [])
    return CustomOrigin(domain, str(origin.get("originPath") or ""), headers)


def _behaviour(
    inputs: Mapping[str, Any],
    pattern: str,
    origins: Mapping[str, Origin],
    functions: Mapping[str, UriRewrite],
    policies: Mapping[str, tuple[ResponseHeader, ...]],
) -> Behaviour:
    viewer_requests = [
        functions[association["functionArn"]]
        for association in inputs.get("functionAssociations") or []
        if association["eventType"] == "viewer-request"
    ]
    return Behaviour(
        path_pattern=pattern,
        origin=origins[inputs["targetOriginId"]],
        allowed_methods=frozenset(inputs.get("allowedMethods") or ("GET", "HEAD")),
        viewer_request=viewer_requests[0] if viewer_requests else None,
        response_headers=policies.get(str(inputs.get("responseHeadersPolicyId") or ""), ()),
    )


def _by(records: list[ResourceRecord], key: str) -> dict[str, ResourceRecord]:
    return {str(record.outputs.get(key) or record.id): record for record in records}


def build_served_distribution(inventory: Inventory) -> ServedDistribution:
    """The program's one distribution, ready to serve."""
    (record,) = inventory.of_type(DISTRIBUTION_TYPE)
    inputs = record.inputs
    buckets = {
        str(bucket.outputs["bucketRegionalDomainName"]): str(bucket.outputs["bucket"])
        for bucket_type in BUCKET_TYPES
        for bucket in inventory.of_type(bucket_type)
    }
    origins = {origin["originId"]: _origin(origin, buckets) for origin in inputs["origins"]}
    functions = {
        arn: rule_for_code(function.inputs["code"])
        for arn, function in _by(inventory.of_type(FUNCTION_TYPE), "arn").items()
    }
    policies = {
        policy_id: response_headers(policy.inputs)
        for policy_id, policy in _by(inventory.of_type(HEADERS_POLICY_TYPE), "id").items()
    }
    behaviours = [
        _behaviour(behaviour, behaviour["pathPattern"], origins, functions, policies)
        for behaviour in inputs.get("orderedCacheBehaviors") or []
    ]
    behaviours.append(_behaviour(inputs["defaultCacheBehavior"], "*", origins, functions, policies))
    return ServedDistribution(
        domain=str(record.outputs["domainName"]),
        default_root_object=inputs.get("defaultRootObject") or None,
        behaviours=tuple(behaviours),
    )
