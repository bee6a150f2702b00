"""CORS on every HTTP API (``aws:apigatewayv2/api:Api``).

The SPA is the only browser client, so the API answers exactly its origins: no
wildcard outside dev, ``https://`` origins (plain ``http://localhost`` only in dev),
explicit methods and headers, and credentials never next to a wildcard. Public packs
check none of this for API Gateway v2.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .base import Config, Props, ResourceRule, as_list, as_number, get_path
from .resource_types import API

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1"})


def _is_http_api(props: Props) -> bool:
    # WebSocket APIs have no CORS configuration; HTTP is the default protocol.
    return str(props.get("protocolType") or "HTTP").upper() == "HTTP"


def _origin_problem(origin: str, allow_localhost: bool) -> str | None:
    parts = urlsplit(origin)
    if parts.scheme == "https" and parts.hostname:
        if parts.path not in ("", "/") or parts.query:
            return f"origin {origin!r} has a path; an origin is scheme://host[:port] only"
        return None
    if parts.scheme == "http" and parts.hostname in LOCAL_HOSTS:
        if allow_localhost:
            return None
        return f"origin {origin!r} is a local development origin, allowed only in dev"
    return f"origin {origin!r} is not https://; serve the SPA over TLS and list its https origin"


def check_origins(resource_type: str, props: Props, config: Config) -> list[str]:
    if not _is_http_api(props):
        return []
    cors = props.get("corsConfiguration")
    if not cors:
        return [
            "corsConfiguration is not set: configure CORS with the SPA's origins "
            "(stack config `cors.allowOrigins`) so browsers can call the API"
        ]
    origins = [str(origin) for origin in as_list(get_path(cors, "allowOrigins"))]
    if not origins:
        return ["corsConfiguration.allowOrigins is empty: list the SPA's origins (stack config)"]
    problems: list[str] = []
    if "*" in origins and not config["allowWildcard"]:
        problems.append(
            "corsConfiguration.allowOrigins contains '*': replace it with the SPA's explicit "
            "https origins (a wildcard is tolerated only in dev)"
        )
    for origin in origins:
        if origin == "*":
            continue
        problem = _origin_problem(origin, bool(config["allowLocalhost"]))
        if problem:
            problems.append(f"corsConfiguration.allowOrigins: {problem}")
    expected = [str(origin) for origin in as_list(config.get("allowedOrigins"))]
    # A tolerated wildcard (dev) is judged above; the explicit origins must still match.
    listed = {origin for origin in origins if not (origin == "*" and config["allowWildcard"])}
    if expected and listed != set(expected):
        missing = sorted(set(expected) - listed)
        extra = sorted(listed - set(expected))
        problems.append(
            f"corsConfiguration.allowOrigins differs from the stack's configured origins "
            f"(missing {missing}, unexpected {extra}): set the stack config `cors.allowOrigins` "
            f"and this policy's `allowedOrigins` to the same list"
        )
    return problems


def check_methods_and_headers(resource_type: str, props: Props, config: Config) -> list[str]:
    if not _is_http_api(props):
        return []
    cors = props.get("corsConfiguration")
    if not cors:
        return []  # reported once, by cors-origins
    problems: list[str] = []
    methods = [str(method) for method in as_list(get_path(cors, "allowMethods"))]
    if not methods:
        problems.append(
            "corsConfiguration.allowMethods is empty: list the methods the SPA uses "
            "(GET, POST, PUT, PATCH, DELETE, OPTIONS)"
        )
    elif "*" in methods:
        problems.append("corsConfiguration.allowMethods contains '*': list the methods explicitly")
    headers = [str(header) for header in as_list(get_path(cors, "allowHeaders"))]
    if "*" in headers:
        problems.append("corsConfiguration.allowHeaders contains '*': list the headers explicitly")
    present = {header.lower() for header in headers}
    for required in as_list(config["requiredHeaders"]):
        if str(required).lower() not in present:
            problems.append(
                f"corsConfiguration.allowHeaders lacks {required!r}: add it, the SPA sends it "
                "on every authenticated or idempotent request"
            )
    return problems


def check_credentials(resource_type: str, props: Props, config: Config) -> list[str]:
    cors = props.get("corsConfiguration") if _is_http_api(props) else None
    if not cors or get_path(cors, "allowCredentials") is not True:
        return []
    wildcards = [
        key
        for key in ("allowOrigins", "allowHeaders", "allowMethods")
        if "*" in [str(item) for item in as_list(get_path(cors, key))]
    ]
    return [
        f"corsConfiguration.allowCredentials is true while corsConfiguration.{key} contains '*': "
        "browsers refuse that combination; list explicit values or drop allowCredentials"
        for key in wildcards
    ]


def check_max_age(resource_type: str, props: Props, config: Config) -> list[str]:
    cors = props.get("corsConfiguration") if _is_http_api(props) else None
    if not cors:
        return []
    max_age = as_number(get_path(cors, "maxAge"))
    maximum = float(config["maximumSeconds"])
    if max_age is None or max_age <= 0:
        return [
            "corsConfiguration.maxAge is not set: set it (e.g. 3600) so browsers cache the "
            "preflight instead of sending OPTIONS before every call"
        ]
    if max_age > maximum:
        return [f"corsConfiguration.maxAge is {max_age:g}s, above {maximum:g}s: lower it"]
    return []


CORS_ORIGINS = ResourceRule(
    name="cors-origins",
    description="HTTP APIs allow only the stack's configured https origins (localhost only in dev).",
    resource_types=frozenset({API}),
    check=check_origins,
    remediation="Set corsConfiguration.allowOrigins from the stack config `cors.allowOrigins`.",
    config_schema={
        "allowedOrigins": {
            "type": "array",
            "items": {"type": "string"},
            "default": [],
            "description": "The exact origin list of the stack; empty skips the comparison.",
        },
        "allowWildcard": {"type": "boolean", "default": False},
        "allowLocalhost": {"type": "boolean", "default": False},
    },
)

CORS_METHODS_AND_HEADERS = ResourceRule(
    name="cors-methods-and-headers",
    description="HTTP API CORS lists methods and headers explicitly, including the ones the SPA sends.",
    resource_types=frozenset({API}),
    check=check_methods_and_headers,
    remediation="List allowMethods and allowHeaders explicitly; include Authorization and Idempotency-Key.",
    config_schema={
        "requiredHeaders": {
            "type": "array",
            "items": {"type": "string"},
            "default": ["Authorization", "Idempotency-Key"],
        },
    },
)

CORS_CREDENTIALS = ResourceRule(
    name="cors-credentials",
    description="HTTP API CORS never allows credentials together with a wildcard.",
    resource_types=frozenset({API}),
    check=check_credentials,
    remediation="Drop allowCredentials or replace every '*' with explicit values.",
)

CORS_MAX_AGE = ResourceRule(
    name="cors-max-age",
    description="HTTP API CORS sets a preflight max age.",
    resource_types=frozenset({API}),
    check=check_max_age,
    remediation="Set corsConfiguration.maxAge (seconds), e.g. 3600.",
    config_schema={"maximumSeconds": {"type": "number", "default": 86400, "minimum": 1}},
)

RULES = (CORS_ORIGINS, CORS_METHODS_AND_HEADERS, CORS_CREDENTIALS, CORS_MAX_AGE)
