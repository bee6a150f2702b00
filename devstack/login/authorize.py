"""The checks of ``/oauth2/authorize`` (and of ``/login``, which carries the same query),
in Cognito's order: an unknown client or an unregistered redirect URI is an error page
(never a redirect to where the request says); everything else is reported to the
redirect URI (``error=…&state=…``), as OAuth 2.0 says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

SUPPORTED_CHALLENGE_METHOD = "S256"


class CannotRedirect(Exception):
    """The request names no known client or an unregistered redirect URI: show the error."""


@dataclass(frozen=True)
class RedirectError(Exception):
    """A refusal the client hears about at its redirect URI."""

    redirect_uri: str
    error: str
    state: str | None

    def location(self) -> str:
        return with_query(self.redirect_uri, error=self.error, state=self.state)


@dataclass(frozen=True)
class AuthorizeRequest:
    pool_id: str
    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    state: str | None
    code_challenge: str | None
    nonce: str | None


def with_query(uri: str, **params: str | None) -> str:
    """``uri`` with ``params`` (those not ``None``) added to its query."""
    parts = urlsplit(uri)
    added = urlencode({name: value for name, value in params.items() if value is not None})
    query = f"{parts.query}&{added}" if parts.query and added else parts.query or added
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def check_authorize(
    args: Mapping[str, str], pool_id: str | None, client: Mapping[str, Any] | None
) -> AuthorizeRequest:
    """``client``: the app client as ``DescribeUserPoolClient`` answers (None: unknown)."""
    if pool_id is None or client is None:
        raise CannotRedirect("invalid_request: unknown client_id")
    redirect_uri = args.get("redirect_uri", "")
    if redirect_uri not in (client.get("CallbackURLs") or []):
        raise CannotRedirect("redirect_mismatch: redirect_uri is not one of the client's callback URLs")
    state = args.get("state")
    if args.get("response_type") != "code" or "code" not in (client.get("AllowedOAuthFlows") or []):
        raise RedirectError(redirect_uri, "unsupported_response_type", state)
    if not client.get("AllowedOAuthFlowsUserPoolClient"):
        raise RedirectError(redirect_uri, "unauthorized_client", state)
    scopes = tuple(args.get("scope", "openid").split())
    if not set(scopes) <= set(client.get("AllowedOAuthScopes") or []):
        raise RedirectError(redirect_uri, "invalid_scope", state)
    challenge = args.get("code_challenge") or None
    method = args.get("code_challenge_method")
    if (challenge or method) and (not challenge or method != SUPPORTED_CHALLENGE_METHOD):
        raise RedirectError(redirect_uri, "invalid_request", state)
    return AuthorizeRequest(
        pool_id=pool_id,
        client_id=str(client["ClientId"]),
        redirect_uri=redirect_uri,
        scopes=scopes,
        state=state,
        code_challenge=challenge,
        nonce=args.get("nonce") or None,
    )


def discovery_document(base_url: str, region: str, pool_id: str) -> dict[str, object]:
    """The pool's OIDC discovery: AWS's ``issuer`` (what the tokens and the API's
    authorizer say), this server's endpoints."""
    return {
        "issuer": f"https://cognito-idp.{region}.amazonaws.com/{pool_id}",
        "authorization_endpoint": f"{base_url}/oauth2/authorize",
        "token_endpoint": f"{base_url}/oauth2/token",
        "jwks_uri": f"{base_url}/{pool_id}/.well-known/jwks.json",
        "response_types_supported": ["code"],
        "scopes_supported": ["openid", "email", "phone", "profile"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
    }
