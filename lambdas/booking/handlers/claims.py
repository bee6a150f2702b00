"""The caller, from the claims API Gateway's JWT authorizer verified.

The claim names are the identity facts of ``domain.identity`` (shared with the Cognito
component and the users adapter); only their wire forms are handled here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from booking.domain.errors import Forbidden, Unauthorized
from booking.domain.identity import GROUPS_CLAIM, TENANT_CLAIM, strongest_role
from booking.domain.principal import Principal


def parse_groups(raw: Any) -> list[str]:
    """``cognito:groups`` arrives as a JSON list, or (HTTP API JWT authorizer) as a string
    like ``"[Admin Patient]"``; tolerate commas and quotes as well."""
    if isinstance(raw, list):
        return [str(item) for item in raw]
    if not isinstance(raw, str):
        return []
    text = raw.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    return [part.strip("\"' ") for part in text.replace(",", " ").split() if part.strip("\"' ")]


def principal_from_event(event: Mapping[str, Any]) -> Principal:
    """The caller of an HTTP API (payload 2.0) event: its ``sub``, tenant and strongest role."""
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    claims = (authorizer.get("jwt") or {}).get("claims")
    if not isinstance(claims, Mapping) or not claims.get("sub"):
        raise Unauthorized("a valid bearer token is required")
    tenant_id = claims.get(TENANT_CLAIM)
    if not isinstance(tenant_id, str) or not tenant_id:
        raise Forbidden("the token carries no tenant", code="NO_TENANT")
    role = strongest_role(parse_groups(claims.get(GROUPS_CLAIM)))
    if role is None:
        raise Forbidden("the token carries no role group", code="NO_ROLE")
    email = claims.get("email")
    return Principal(
        user_id=str(claims["sub"]),
        tenant_id=tenant_id,
        role=role,
        email=email if isinstance(email, str) else None,
    )
