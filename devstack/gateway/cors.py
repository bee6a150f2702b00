"""CORS as an HTTP API with a ``corsConfiguration`` answers it: preflight requests
are answered by the gateway itself, and responses to an allowed origin get the CORS
headers (replacing any the function set); a refused origin gets none."""

from __future__ import annotations

from devstack.gateway.model import Cors


def origin_allowed(cors: Cors, origin: str | None) -> bool:
    return bool(origin) and ("*" in cors.allow_origins or origin in cors.allow_origins)


def _allow_origin_value(cors: Cors, origin: str) -> str:
    # A wildcard is answered as "*" unless credentials are allowed, which needs the origin.
    return "*" if "*" in cors.allow_origins and not cors.allow_credentials else origin


def is_preflight(method: str, headers: dict[str, str]) -> bool:
    return method == "OPTIONS" and "origin" in headers and "access-control-request-method" in headers


def preflight_headers(cors: Cors, headers: dict[str, str]) -> dict[str, str]:
    """Headers of the 204 answer to a preflight; empty when refused."""
    origin = headers.get("origin")
    if not origin or not origin_allowed(cors, origin):
        return {}
    method = headers.get("access-control-request-method", "").upper()
    if "*" not in cors.allow_methods and method not in cors.allow_methods:
        return {}
    requested = [
        name.strip().lower() for name in headers.get("access-control-request-headers", "").split(",")
    ]
    requested = [name for name in requested if name]
    if "*" not in cors.allow_headers and any(name not in cors.allow_headers for name in requested):
        return {}
    answer = {
        "access-control-allow-origin": _allow_origin_value(cors, origin),
        "access-control-allow-methods": method if "*" in cors.allow_methods else ",".join(cors.allow_methods),
        "vary": "Origin",
    }
    if requested:
        answer["access-control-allow-headers"] = (
            ",".join(requested) if "*" in cors.allow_headers else ",".join(cors.allow_headers)
        )
    if cors.allow_credentials:
        answer["access-control-allow-credentials"] = "true"
    if cors.max_age is not None:
        answer["access-control-max-age"] = str(cors.max_age)
    return answer


def response_headers(cors: Cors, origin: str | None) -> dict[str, str]:
    """CORS headers added to an actual response for ``origin``; empty when refused."""
    if not origin or not origin_allowed(cors, origin):
        return {}
    answer = {"access-control-allow-origin": _allow_origin_value(cors, origin), "vary": "Origin"}
    if cors.allow_credentials:
        answer["access-control-allow-credentials"] = "true"
    if cors.expose_headers:
        answer["access-control-expose-headers"] = ",".join(cors.expose_headers)
    return answer
