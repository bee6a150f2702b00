"""The devstack's managed login: Cognito's hosted endpoints on top of the emulated pool.

- ``GET /<poolId>/.well-known/openid-configuration`` and ``…/jwks.json``: the pool's
  OIDC discovery (``issuer`` is AWS's, what the tokens and the API's authorizer say;
  the endpoints are this server's) and moto's keys;
- ``GET /oauth2/authorize``: checks the request (:mod:`devstack.login.authorize`); a
  signed-in session gets its code at once, anyone else the sign-in page (``/login``);
- ``GET|POST /login``: the sign-in page (es/en); the password is checked by the pool
  itself, and an invited user chooses their new password there on their first sign-in
  (:mod:`devstack.login.sign_in_steps`);
- ``POST /oauth2/token``: ``authorization_code`` (single-use code, same client and
  redirect URI, PKCE S256 verified) and ``refresh_token`` (ID token with the original
  ``auth_time``), answered to any origin (CORS), as browsers call it;
- ``GET /logout``: ends the session and returns to a registered logout URI.

What the app's OIDC client (oidc-client-ts 3) checks, and so what this must get right:
the ``state`` and the ``authority`` it stored, the code exchange's answer, and on a
refresh that the new ID token has the same ``sub``, ``auth_time`` and ``azp``. It does not
compare the discovery document's ``issuer`` with the authority's URL, nor verify
signatures: the API's JWT authorizer does, against AWS's issuer and moto's keys.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import requests
from botocore.exceptions import ClientError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from devstack.login.authorize import (
    AuthorizeRequest,
    CannotRedirect,
    RedirectError,
    check_authorize,
    discovery_document,
    with_query,
)
from devstack.login.grants import CODE_LIFETIME_SECONDS, Grant, LoginState, Session, Tokens, verifier_matches
from devstack.login.pages import error_page, language_of, new_password_page, sign_in_page
from devstack.login.sign_in_steps import NotEmulated, take_step
from devstack.login.tokens import unverified_claims, with_claims

SESSION_COOKIE = "cognito"
CSRF_COOKIE = "XSRF-TOKEN"

ROUTES = Map(
    [
        Rule("/<pool_id>/.well-known/openid-configuration", endpoint="discovery", methods=["GET"]),
        Rule("/<pool_id>/.well-known/jwks.json", endpoint="jwks", methods=["GET"]),
        Rule("/oauth2/authorize", endpoint="authorize", methods=["GET"]),
        Rule("/login", endpoint="login", methods=["GET", "POST"]),
        Rule("/oauth2/token", endpoint="token", methods=["POST", "OPTIONS"]),
        Rule("/logout", endpoint="logout", methods=["GET"]),
        Rule("/favicon.ico", endpoint="favicon", methods=["GET"]),
    ]
)


def _json(body: Mapping[str, Any], status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    response = Response(json.dumps(body), status=status, mimetype="application/json")
    response.headers.update({"Access-Control-Allow-Origin": "*", **(headers or {})})
    return response


class ManagedLogin:
    """``clients``: each app client's pool; ``cognito``: a boto3 client of the emulator."""

    def __init__(
        self, *, base_url: str, region: str, endpoint_url: str, clients: Mapping[str, str], cognito: Any
    ):
        self.base_url = base_url.rstrip("/")
        self.region = region
        self.endpoint_url = endpoint_url.rstrip("/")
        self.clients = dict(clients)
        self.cognito = cognito
        self.state = LoginState()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        try:
            endpoint, values = ROUTES.bind_to_environ(environ).match()
            response: Response = getattr(self, f"_{endpoint}")(request, **values)
        except HTTPException as error:
            response = error.get_response()
        return response(environ, start_response)

    # ------------------------------------------------------------------ discovery

    def _discovery(self, request: Request, pool_id: str) -> Response:
        if pool_id not in self.clients.values():
            return _json({"message": f"User pool {pool_id} does not exist."}, 404)
        return _json(discovery_document(self.base_url, self.region, pool_id))

    def _jwks(self, request: Request, pool_id: str) -> Response:
        keys = requests.get(f"{self.endpoint_url}/{pool_id}/.well-known/jwks.json", timeout=10)
        return _json(keys.json(), keys.status_code)

    # ------------------------------------------------------------------ sign-in

    def _client(self, client_id: str | None) -> tuple[str | None, dict[str, Any] | None]:
        pool_id = self.clients.get(client_id or "")
        if pool_id is None:
            return None, None
        answer = self.cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
        return pool_id, answer["UserPoolClient"]

    def _checked(self, request: Request) -> AuthorizeRequest | Response:
        language = language_of(request.args.get("lang"), request.headers.get("Accept-Language"))
        try:
            return check_authorize(request.args, *self._client(request.args.get("client_id")))
        except CannotRedirect as refusal:
            return Response(error_page(language, str(refusal)), status=400, mimetype="text/html")
        except RedirectError as refusal:
            return redirect(refusal.location())

    def _authorize(self, request: Request) -> Response:
        checked = self._checked(request)
        if isinstance(checked, Response):
            return checked
        session = self.state.session(request.cookies.get(SESSION_COOKIE))
        if session is not None and (session.pool_id, session.client_id) == (
            checked.pool_id,
            checked.client_id,
        ):
            try:
                renewed = self._renewed(
                    session.pool_id, session.client_id, session.refresh_token, session.auth_time
                )
                return self._code_for(checked, renewed)
            except ClientError:
                pass  # the session's refresh token no longer works: sign in again
        return redirect(f"/login?{request.query_string.decode()}")

    def _login(self, request: Request) -> Response:
        checked = self._checked(request)
        if isinstance(checked, Response):
            return checked
        language = language_of(request.args.get("lang"), request.headers.get("Accept-Language"))
        query = dict(request.args.items())
        if request.method == "GET":
            return self._page(language, query, secrets.token_urlsafe(24))
        csrf = request.form.get("_csrf", "")
        if not csrf or not secrets.compare_digest(csrf, request.cookies.get(CSRF_COOKIE, "")):
            return Response(
                error_page(language, "CSRF token missing or wrong"), status=403, mimetype="text/html"
            )
        email = request.form.get("username", "").strip()
        try:
            outcome = take_step(self.cognito, checked.pool_id, checked.client_id, email, request.form)
        except NotEmulated as step:
            return Response(error_page(language, str(step)), status=501, mimetype="text/html")
        if outcome.challenge is not None:
            session_id, problem, detail = outcome.challenge, outcome.problem, outcome.detail
            page = new_password_page(language, query, csrf, email, session_id, problem, detail)
            return self._html(page, csrf)
        if outcome.tokens is None:
            return self._page(language, query, csrf, email=email, problem=outcome.problem)
        tokens = outcome.tokens
        auth_time = int(unverified_claims(tokens.id_token)["auth_time"])
        session = Session(checked.pool_id, checked.client_id, email, auth_time, tokens.refresh_token)
        response = self._code_for(checked, tokens)
        response.set_cookie(SESSION_COOKIE, self.state.open_session(session), httponly=True, samesite="Lax")
        response.delete_cookie(CSRF_COOKIE)
        return response

    def _page(self, language: str, query: dict[str, str], csrf: str, **shown: Any) -> Response:
        return self._html(sign_in_page(language, query, csrf, **shown), csrf)

    def _html(self, page: str, csrf: str) -> Response:
        response = Response(page, mimetype="text/html")
        response.headers["Cache-Control"] = "no-store"
        response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="Lax")
        return response

    def _renewed(self, pool_id: str, client_id: str, refresh_token: str, auth_time: int) -> Tokens:
        """New tokens from a refresh token; the ID token keeps the sign-in's ``auth_time``."""
        answer = self.cognito.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": refresh_token},
        )["AuthenticationResult"]
        id_token = with_claims(answer["IdToken"], auth_time=auth_time)
        return Tokens(id_token, answer["AccessToken"], refresh_token, answer["ExpiresIn"])

    def _code_for(self, checked: AuthorizeRequest, tokens: Tokens) -> Response:
        tokens = Tokens(
            with_claims(tokens.id_token, nonce=checked.nonce),
            tokens.access_token,
            tokens.refresh_token,
            tokens.expires_in,
        )
        grant = Grant(
            client_id=checked.client_id,
            redirect_uri=checked.redirect_uri,
            code_challenge=checked.code_challenge,
            nonce=checked.nonce,
            tokens=tokens,
            expires_at=time.time() + CODE_LIFETIME_SECONDS,
        )
        code = self.state.issue_code(grant)
        return redirect(with_query(checked.redirect_uri, code=code, state=checked.state))

    # ------------------------------------------------------------------ tokens

    def _token(self, request: Request) -> Response:
        if request.method == "OPTIONS":
            preflight = {
                "Access-Control-Allow-Methods": "POST",
                "Access-Control-Allow-Headers": "authorization,content-type",
                "Access-Control-Max-Age": "600",
            }
            return _json({}, 204, preflight)
        form = request.form
        client_id = form.get("client_id") or (
            request.authorization.username if request.authorization else None
        )
        no_store = {"Cache-Control": "no-store", "Pragma": "no-cache"}
        if not client_id or client_id not in self.clients:
            return _json({"error": "invalid_client"}, 401, no_store)
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            grant = self.state.redeem_code(form.get("code"))
            if (
                grant is None
                or grant.client_id != client_id
                or grant.redirect_uri != form.get("redirect_uri")
                or (
                    grant.code_challenge
                    and not verifier_matches(form.get("code_verifier"), grant.code_challenge)
                )
            ):
                return _json({"error": "invalid_grant"}, 400, no_store)
            tokens = grant.tokens
            body = {"id_token": tokens.id_token, "access_token": tokens.access_token}
            body["refresh_token"] = tokens.refresh_token
        elif grant_type == "refresh_token":
            refresh_token = form.get("refresh_token", "")
            origin = self.state.refresh_origin(refresh_token)
            if origin is None or origin[0] != client_id:
                return _json({"error": "invalid_grant"}, 400, no_store)
            try:
                tokens = self._renewed(self.clients[client_id], client_id, refresh_token, origin[1])
            except ClientError:
                return _json({"error": "invalid_grant"}, 400, no_store)
            body = {"id_token": tokens.id_token, "access_token": tokens.access_token}
        else:
            return _json({"error": "unsupported_grant_type"}, 400, no_store)
        return _json({**body, "expires_in": tokens.expires_in, "token_type": "Bearer"}, 200, no_store)

    def _favicon(self, request: Request) -> Response:
        return Response(status=204)  # browsers ask every origin for one

    # ------------------------------------------------------------------ sign-out

    def _logout(self, request: Request) -> Response:
        language = language_of(request.args.get("lang"), request.headers.get("Accept-Language"))
        _pool_id, client = self._client(request.args.get("client_id"))
        if client is None:
            return Response(
                error_page(language, "invalid_request: unknown client_id"), 400, mimetype="text/html"
            )
        logout_uri = request.args.get("logout_uri")
        if logout_uri is not None and logout_uri not in (client.get("LogoutURLs") or []):
            message = "redirect_mismatch: logout_uri is not one of the client's sign-out URLs"
            return Response(error_page(language, message), 400, mimetype="text/html")
        if logout_uri is None and not request.args.get("redirect_uri"):
            return Response(
                error_page(language, "invalid_request: logout_uri is missing"), 400, mimetype="text/html"
            )
        self.state.close_session(request.cookies.get(SESSION_COOKIE))
        # With redirect_uri instead of logout_uri, Cognito signs out and asks to sign in again.
        target = logout_uri or f"/oauth2/authorize?{request.query_string.decode()}"
        response = redirect(target)
        response.delete_cookie(SESSION_COOKIE)
        return response
