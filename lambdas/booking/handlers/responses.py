"""JSON answers and the error envelope every API function answers with.

Every response carries ``x-request-id``, the API Gateway request id; a ``DomainError``
becomes ``{"error": {"code", "message", "requestId", "details"?}}`` with its status.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools.event_handler import Response

from booking.domain.errors import DomainError
from booking.schemas import ErrorBody, ErrorDetail, ErrorEnvelope

JSON = "application/json"
REQUEST_ID_HEADER = "x-request-id"


def json_response(
    status: int, body: Any, request_id: str, headers: Mapping[str, str] | None = None
) -> Response[str]:
    all_headers = {REQUEST_ID_HEADER: request_id, **(headers or {})}
    if body is None:
        return Response(status_code=status, headers=all_headers, body="")
    return Response(status_code=status, content_type=JSON, body=json.dumps(body), headers=all_headers)


def error_response(error: DomainError, request_id: str) -> Response[str]:
    details = [
        item if isinstance(item, ErrorDetail) else ErrorDetail.model_validate(item)
        for item in error.details or []
        if isinstance(item, ErrorDetail | Mapping)
    ]
    envelope = ErrorEnvelope(
        error=ErrorBody(
            code=error.code, message=error.message, request_id=request_id, details=details or None
        )
    )
    return json_response(
        error.status, envelope.model_dump(by_alias=True, mode="json", exclude_none=True), request_id
    )
