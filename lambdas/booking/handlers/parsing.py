"""A request's body and query, parsed with the route's pydantic models.

Bad JSON is 400 ``MALFORMED_JSON``; wrong types or unknown fields are 422
``VALIDATION_ERROR`` with the fields named. An explicit ``tenantId`` is checked against
the caller's tenant and dropped: the tenant always comes from the token.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from booking.domain.access import ensure_own_tenant
from booking.domain.errors import BadRequest, InvalidValue
from booking.domain.principal import Principal
from booking.schemas import ErrorDetail


def _validation_error(error: ValidationError, where: str) -> InvalidValue:
    details = [
        ErrorDetail(
            field=".".join(str(part) for part in item["loc"]) or where,
            message=item["msg"],
            type=item["type"],
        )
        for item in error.errors(include_url=False)
    ]
    return InvalidValue(f"the {where} is invalid", code="VALIDATION_ERROR", details=details)


def _without_tenant(data: dict[str, Any], principal: Principal | None) -> dict[str, Any]:
    """Drop an explicit ``tenantId`` after checking it is the caller's own."""
    if "tenantId" not in data:
        return data
    value = data.pop("tenantId")
    if principal is not None:
        ensure_own_tenant(principal, value if isinstance(value, str) else repr(value))
    return data


def parse_body(
    raw: str | None, base64_encoded: bool, model: type[BaseModel], principal: Principal | None
) -> Any:
    text = raw or ""
    try:
        if base64_encoded and text:
            text = base64.b64decode(text, validate=True).decode("utf-8")
        data = json.loads(text) if text.strip() else {}
    except (ValueError, binascii.Error) as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise BadRequest(f"the body is not valid JSON: {error}", code="MALFORMED_JSON") from error
    if not isinstance(data, dict):
        raise InvalidValue(
            "the body must be a JSON object",
            code="VALIDATION_ERROR",
            details=[ErrorDetail(field="body", message="must be a JSON object", type="dict_type")],
        )
    try:
        return model.model_validate(_without_tenant(data, principal))
    except ValidationError as error:
        raise _validation_error(error, "body") from error


def parse_query(
    params: Mapping[str, str] | None, model: type[BaseModel] | None, principal: Principal | None
) -> Any:
    data = _without_tenant(dict(params or {}), principal)
    if model is None:
        if data:
            raise InvalidValue(
                "this route takes no query parameters",
                code="VALIDATION_ERROR",
                details=[
                    ErrorDetail(field=name, message="unexpected", type="extra_forbidden") for name in data
                ],
            )
        return None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise _validation_error(error, "query") from error
