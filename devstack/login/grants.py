"""What the managed login remembers between requests: sign-in sessions (the login's
cookie), authorization codes (single use, five minutes, bound to the client, the
redirect URI and the PKCE challenge) and the original sign-in time of each refresh
token. In memory, like everything else in a devstack.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import threading
import time
from dataclasses import dataclass, field

CODE_LIFETIME_SECONDS = 300  # Cognito's authorization codes live five minutes
# RFC 7636: 43 to 128 unreserved characters.
CODE_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")


def pkce_challenge(verifier: str) -> str:
    """The S256 code challenge of ``verifier`` (RFC 7636)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def verifier_matches(verifier: str | None, challenge: str) -> bool:
    if not verifier or not CODE_VERIFIER.fullmatch(verifier):
        return False
    return hmac.compare_digest(pkce_challenge(verifier), challenge)


@dataclass(frozen=True)
class Tokens:
    id_token: str
    access_token: str
    refresh_token: str
    expires_in: int


@dataclass(frozen=True)
class Session:
    """A person signed in to the managed login (its cookie names this)."""

    pool_id: str
    client_id: str
    username: str
    auth_time: int
    refresh_token: str


@dataclass(frozen=True)
class Grant:
    """What an authorization code stands for."""

    client_id: str
    redirect_uri: str
    code_challenge: str | None
    nonce: str | None
    tokens: Tokens
    expires_at: float


@dataclass
class LoginState:
    _sessions: dict[str, Session] = field(default_factory=dict)
    _codes: dict[str, Grant] = field(default_factory=dict)
    # refresh token -> (client id, original sign-in time)
    _refresh: dict[str, tuple[str, int]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def open_session(self, session: Session) -> str:
        key = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions[key] = session
            self._refresh[session.refresh_token] = (session.client_id, session.auth_time)
        return key

    def session(self, key: str | None) -> Session | None:
        with self._lock:
            return self._sessions.get(key or "")

    def close_session(self, key: str | None) -> None:
        with self._lock:
            self._sessions.pop(key or "", None)

    def issue_code(self, grant: Grant) -> str:
        code = secrets.token_urlsafe(32)
        with self._lock:
            self._codes[code] = grant
        return code

    def redeem_code(self, code: str | None) -> Grant | None:
        """The grant of a live code, once: a second redemption finds nothing."""
        with self._lock:
            grant = self._codes.pop(code or "", None)
        if grant is None or grant.expires_at < time.time():
            return None
        return grant

    def refresh_origin(self, refresh_token: str) -> tuple[str, int] | None:
        """(client id, original sign-in time) of a refresh token this login issued."""
        with self._lock:
            return self._refresh.get(refresh_token)
