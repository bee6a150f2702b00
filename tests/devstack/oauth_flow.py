"""The authorization-code flow with PKCE against the devstack's managed login, step by
step over HTTP, as a browser and oidc-client-ts would walk it (a cookie jar, redirects
read by hand)."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import requests

TIMEOUT = 30


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def query_of(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


@dataclass
class Browser:
    """A cookie jar that follows no redirect by itself."""

    sign_in_url: str
    client_id: str
    redirect_uri: str
    session: requests.Session

    @classmethod
    def for_app(cls, sign_in_url: str, config: dict[str, Any], web_url: str) -> Browser:
        redirect_uri = next(uri for uri in config["redirectUris"] if uri.startswith(web_url))
        return cls(sign_in_url, config["userPoolClientId"], redirect_uri, requests.Session())

    def get(self, url: str, **params: str) -> requests.Response:
        return self.session.get(
            urljoin(self.sign_in_url, url), params=params, allow_redirects=False, timeout=TIMEOUT
        )

    def authorize(self, challenge: str | None, **extra: str) -> requests.Response:
        params = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": "openid email profile",
            "state": "s-123",
            **extra,
        }
        if challenge:
            params |= {"code_challenge": challenge, "code_challenge_method": "S256"}
        return self.get("/oauth2/authorize", **params)

    def sign_in_page(self, challenge: str | None, **extra: str) -> requests.Response:
        answer = self.authorize(challenge, **extra)
        assert answer.status_code == 302, answer.text
        assert urlsplit(answer.headers["Location"]).path == "/login"
        return self.get(answer.headers["Location"])

    def submit(self, page: requests.Response, email: str, password: str) -> requests.Response:
        action = unescape(re.search(r'<form method="post" action="([^"]+)"', page.text)[1])  # type: ignore[index]
        csrf = re.search(r'name="_csrf" value="([^"]+)"', page.text)[1]  # type: ignore[index]
        return self.session.post(
            urljoin(self.sign_in_url, action),
            data={"_csrf": csrf, "username": email, "password": password},
            allow_redirects=False,
            timeout=TIMEOUT,
        )

    def choose_password(
        self, page: requests.Response, new_password: str, confirmation: str
    ) -> requests.Response:
        """Submit the new-password step: the page's hidden fields and the two inputs."""
        action = unescape(re.search(r'<form method="post" action="([^"]+)"', page.text)[1])  # type: ignore[index]
        hidden = dict(
            re.findall(r'<input type="hidden" name="([^"]+)"(?: [a-z]+="[^"]*")*? value="([^"]*)"', page.text)
        )
        form = {name: unescape(value) for name, value in hidden.items()}
        return self.session.post(
            urljoin(self.sign_in_url, action),
            data={**form, "new_password": new_password, "confirm_password": confirmation},
            allow_redirects=False,
            timeout=TIMEOUT,
        )

    def code(self, challenge: str | None, email: str, password: str) -> str:
        """Sign in and return the authorization code the redirect carries."""
        answer = self.submit(self.sign_in_page(challenge), email, password)
        assert answer.status_code == 302, answer.text
        location = answer.headers["Location"]
        assert location.startswith(f"{self.redirect_uri}?")
        assert query_of(location)["state"] == "s-123"
        return query_of(location)["code"]

    def token(self, **form: str) -> requests.Response:
        return requests.post(
            f"{self.sign_in_url}/oauth2/token",
            data=urlencode({"client_id": self.client_id, **form}),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://app.example"},
            timeout=TIMEOUT,
        )

    def exchange(self, code: str, verifier: str | None) -> requests.Response:
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": self.redirect_uri}
        return self.token(**form, **({"code_verifier": verifier} if verifier else {}))
