"""Only the distribution may call the API: the WAF sits on CloudFront, so a request
straight to the HTTP API's own ``execute-api`` address would skip it (and its rate rule).

The distribution adds ``ORIGIN_HEADER`` to every request it forwards to the API, with
the value of the stack's origin secret (``components.origin_secret``); every API
function refuses a request whose header is not the secret's current or previous value
(``adapters.origin_secrets``), before anything else of the request is looked at: no
caller, no body, no route. That includes ``GET /health``: a public route that invokes a
function is exactly what a flood that skips the WAF would aim at, and the site's
``/api/health`` serves every monitor. CORS preflights never reach a function: API
Gateway answers them from the API's CORS configuration (and the app, served by the
distribution at the API's own origin, sends none).

A stack whose functions are given no secret (dev: ``cdn.refuseDirectApiCalls: false``)
answers direct calls too; the policy rule ``api-origin-verified`` forbids that in qas
and prd.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import TYPE_CHECKING

from booking.domain.errors import Forbidden

if TYPE_CHECKING:
    from booking.domain.ports import OriginSecrets

# Lower case: API Gateway's HTTP API (payload 2.0) lower-cases every header name.
ORIGIN_HEADER = "x-origin-verify"
REFUSED_CODE = "ORIGIN_REFUSED"


def check_origin(headers: Mapping[str, str], secrets: OriginSecrets | None) -> None:
    """Refuse (403) a request that does not carry an accepted origin secret."""
    if secrets is None:
        return
    presented = headers.get(ORIGIN_HEADER, "")
    # Every accepted value is compared in constant time: the answer's timing says nothing.
    matches = [hmac.compare_digest(presented.encode(), value.encode()) for value in secrets.accepted()]
    if not any(matches):
        raise Forbidden("call the API through the site's /api, not its own address", code=REFUSED_CODE)
