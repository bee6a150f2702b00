"""No way around the WAF: an HTTP API behind the distribution answers only the distribution.

The web ACL sits on CloudFront (an HTTP API cannot carry one), so the API's own
``execute-api`` address would let anyone skip it and its rate rule. Where a
distribution fronts an HTTP API of the stack, the distribution must send the origin
secret's header to that origin, and every function behind the API must be given the
secret (the environment variable naming it) so it refuses requests without it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .base import (
    Config,
    StackResource,
    StackRule,
    StackViolation,
    get_path,
    is_set,
    known,
    mappings,
    refers_to,
)
from .resource_types import API, DISTRIBUTION, FUNCTION, INTEGRATION, SECRET


def _host(url: Any) -> str:
    return str(url or "").split("://", 1)[-1].split("/", 1)[0]


def _fronted_api(
    distribution: StackResource, origin: Mapping[str, Any], apis: Sequence[StackResource]
) -> StackResource | None:
    """The stack's HTTP API this origin forwards to, if any (by domain, or while the domain
    is still unknown in a preview, by the distribution's dependency on the API)."""
    domain = known(origin, "domainName")
    for api in apis:
        if domain is None and api.urn in distribution.property_dependencies.get("origins", ()):
            return api
        if domain and domain == _host(get_path(api.props, "apiEndpoint")):
            return api
    return None


def _sends_header(origin: Mapping[str, Any], header: str) -> bool:
    return any(
        str(item.get("name", "")).lower() == header and is_set(item, "value")
        for item in mappings(origin.get("customHeaders"))
    )


def _functions_behind(api: StackResource, resources: Sequence[StackResource]) -> list[StackResource]:
    functions = [resource for resource in resources if resource.type == FUNCTION]
    integrations = [
        resource
        for resource in resources
        if resource.type == INTEGRATION and refers_to(resource, "apiId", api, "id")
    ]
    return [
        function
        for function in functions
        if any(refers_to(link, "integrationUri", function, "invokeArn") for link in integrations)
    ]


def _given_the_secret(function: StackResource, variable: str, secrets: Sequence[StackResource]) -> bool:
    dependencies = function.property_dependencies.get("environment", ())
    value = known(function.props, f"environment.variables.{variable}")
    if value is None and is_set(function.props, f"environment.variables.{variable}"):
        # Still unknown in a preview: it must at least be computed from a secret of the stack.
        return any(secret.urn in dependencies for secret in secrets)
    return any(value in {secret.id, get_path(secret.props, "arn")} for secret in secrets if value)


def check_api_origin_verified(resources: Sequence[StackResource], config: Config) -> list[StackViolation]:
    header, variable = str(config["headerName"]).lower(), str(config["secretVariable"])
    apis = [resource for resource in resources if resource.type == API]
    secrets = [resource for resource in resources if resource.type == SECRET]
    violations: list[StackViolation] = []
    fronted: dict[str, StackResource] = {}
    for distribution in (resource for resource in resources if resource.type == DISTRIBUTION):
        for origin in mappings(distribution.props.get("origins")):
            api = _fronted_api(distribution, origin, apis)
            if api is None:
                continue
            fronted[api.urn] = api
            if not _sends_header(origin, header):
                violations.append(
                    StackViolation(
                        f"{DISTRIBUTION} '{distribution.name}': origins[{origin.get('originId')}] "
                        f"forwards to the HTTP API '{api.name}' without the {header!r} custom header: "
                        "send the origin secret's value, so the API can refuse requests that skip "
                        "the distribution and its WAF",
                        distribution.urn,
                    )
                )
    for api in fronted.values():
        for function in _functions_behind(api, resources):
            if not _given_the_secret(function, variable, secrets):
                violations.append(
                    StackViolation(
                        f"{FUNCTION} '{function.name}': serves the HTTP API '{api.name}' behind the "
                        f"distribution but its environment variable {variable} does not name a "
                        f"{SECRET} of this stack: it would answer requests that skip the WAF",
                        function.urn,
                    )
                )
    return violations


API_ORIGIN_VERIFIED = StackRule(
    name="api-origin-verified",
    description=(
        "An HTTP API behind a CloudFront distribution answers only the distribution: the "
        "distribution sends the origin secret's header and every function behind the API checks it."
    ),
    resource_types=frozenset({DISTRIBUTION, API, INTEGRATION, FUNCTION, SECRET}),
    check=check_api_origin_verified,
    remediation=(
        "Keep cdn.refuseDirectApiCalls on: the program then adds the origin secret's header to the "
        "distribution's API origin (customHeaders) and gives every API function ORIGIN_SECRET_ARN."
    ),
    config_schema={
        "headerName": {
            "type": "string",
            "default": "x-origin-verify",
            "description": "The header the distribution sends and the functions check.",
        },
        "secretVariable": {
            "type": "string",
            "default": "ORIGIN_SECRET_ARN",
            "description": "The functions' environment variable naming the origin secret.",
        },
    },
)

RULES = (API_ORIGIN_VERIFIED,)
