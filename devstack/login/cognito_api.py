"""The user pool's public API where a browser finds it: the origin of the pool's endpoint.

In AWS the pool's endpoint is ``cognito-idp.<region>.amazonaws.com/<poolId>``: the
app's ``authority``, whose origin also answers Cognito's JSON API (``POST /`` with
``X-Amz-Target``), with CORS for any origin. A sign-up page therefore calls
``SignUp`` and ``ConfirmSignUp`` at ``new URL(authority).origin`` (which the app's
Content-Security-Policy already allows). In the devstack the pool's endpoint is the
managed login's server, so this middleware answers those calls there, by handing them
to the emulator (whose pools run their triggers: ``devstack.user_pool_triggers``).

Only the actions Cognito accepts without AWS credentials pass; the admin API needs
IAM signatures, which a browser never has.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import requests
from werkzeug.wrappers import Request, Response

TARGET_PREFIX = "AWSCognitoIdentityProviderService."
# Cognito's operations a client calls unsigned (the user's own: sign-up, sign-in, tokens).
PUBLIC_ACTIONS = frozenset(
    {
        "SignUp",
        "ConfirmSignUp",
        "ResendConfirmationCode",
        "ForgotPassword",
        "ConfirmForgotPassword",
        "InitiateAuth",
        "RespondToAuthChallenge",
        "GetUser",
        "UpdateUserAttributes",
        "ChangePassword",
        "GlobalSignOut",
        "RevokeToken",
    }
)
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST",
    "Access-Control-Allow-Headers": ",".join(
        ("content-type", "x-amz-target", "x-amz-user-agent", "amz-sdk-invocation-id", "amz-sdk-request")
    ),
    "Access-Control-Expose-Headers": "x-amzn-requestid,x-amzn-errortype,x-amzn-errormessage,date",
    "Access-Control-Max-Age": "600",
}


class CognitoPublicApi:
    """``POST /`` with ``X-Amz-Target`` (and its preflight) to the emulator; the rest to ``app``."""

    def __init__(self, app: Callable[..., Iterable[bytes]], endpoint_url: str) -> None:
        self.app = app
        self.endpoint_url = endpoint_url.rstrip("/")

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        if request.path != "/" or request.method not in ("POST", "OPTIONS"):
            return self.app(environ, start_response)
        return self._answer(request)(environ, start_response)

    def _answer(self, request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status=204, headers=CORS)
        target = request.headers.get("X-Amz-Target", "")
        if target.removeprefix(TARGET_PREFIX) not in PUBLIC_ACTIONS:
            body = (
                '{"__type": "MissingAuthenticationTokenException", "message": "Missing Authentication Token"}'
            )
            return Response(body, status=400, mimetype="application/x-amz-json-1.1", headers=CORS)
        answer = requests.post(
            f"{self.endpoint_url}/",
            data=request.get_data(),
            headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1"},
            timeout=60,
        )
        headers = {
            name: value for name, value in answer.headers.items() if name.lower().startswith("x-amzn-")
        }
        return Response(
            answer.content,
            status=answer.status_code,
            mimetype="application/x-amz-json-1.1",
            headers={**headers, **CORS},
        )
