"""The devstack's distribution and managed login, over HTTP, on the real program's
deployment: the app from the bucket's objects, the SPA fallback, the security headers,
``/api`` to the gateway without its prefix; sign-in with PKCE, refresh, logout."""

from __future__ import annotations

import time

import jwt
import pytest
import requests

from devstack.distribution.model import build_served_distribution
from devstack.up import UpOptions, start_devstack
from engine.inventory import Inventory
from packager.web_app import ensure_web_build
from tests.devstack.oauth_flow import Browser, pkce_pair, query_of

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("devstack-web")]
TIMEOUT = 30


@pytest.fixture(scope="module")
def devstack(tmp_path_factory):
    state_dir = tmp_path_factory.mktemp("web") / ".devstack"
    options = UpOptions(stack="dev", port=0, web_port=0, login_port=0, state_dir=state_dir, pumps=False)
    running = start_devstack(options, printer=lambda _text: None)
    try:
        yield running, Inventory.load(state_dir / "inventory.json")
    finally:
        running.stop()


@pytest.fixture(scope="module")
def config(devstack):
    running, _ = devstack
    return requests.get(f"{running.outputs.web_url}/config.json", timeout=TIMEOUT).json()


def _get(running, path: str, **headers: str) -> requests.Response:
    return requests.get(f"{running.outputs.web_url}{path}", headers=headers, timeout=TIMEOUT)


def test_the_app_and_its_deep_links_are_the_built_index_with_the_policys_headers(devstack):
    running, inventory = devstack
    index = ensure_web_build().index_html.read_bytes()
    (policy,) = inventory.of_type("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy")
    csp = policy.inputs["securityHeadersConfig"]["contentSecurityPolicy"]["contentSecurityPolicy"]
    for path in ("/", "/index.html", "/callback?code=x&state=y", "/appointments/b-1/reschedule"):
        answer = _get(running, path)
        assert answer.status_code == 200, path
        assert answer.content == index, path
        assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
        assert answer.headers["Cache-Control"] == "no-cache"
        assert answer.headers["Content-Security-Policy"] == csp
        assert answer.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["X-Frame-Options"] == "DENY"
        assert answer.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    revalidated = _get(running, "/", **{"If-None-Match": answer.headers["ETag"]})
    assert revalidated.status_code == 304


def test_hashed_files_are_served_with_their_type_and_a_year_and_missing_files_are_s3s_403(devstack):
    running, _ = devstack
    build = ensure_web_build()
    key = next(
        key for key in build.object_keys() if key.startswith("_app/immutable/") and key.endswith(".js")
    )
    answer = _get(running, f"/{key}")
    assert answer.content == (build.root / key).read_bytes()
    assert answer.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    missing = _get(running, "/_app/immutable/chunks/gone.js")
    assert missing.status_code == 403
    assert "AccessDenied" in missing.text
    assert missing.headers["X-Frame-Options"] == "DENY"
    assert requests.post(f"{running.outputs.web_url}/", timeout=TIMEOUT).status_code == 403


def test_the_app_is_read_from_the_buckets_objects_not_from_the_build_folder(devstack):
    running, inventory = devstack
    served = build_served_distribution(inventory)
    bucket = served.behaviour_for("/index.html").origin.bucket  # type: ignore[union-attr]
    s3 = running.outputs.client("s3")
    original = s3.get_object(Bucket=bucket, Key="index.html")
    s3.put_object(
        Bucket=bucket, Key="index.html", Body=b"<p>changed in the bucket</p>", ContentType="text/html"
    )
    try:
        assert _get(running, "/appointments").text == "<p>changed in the bucket</p>"
    finally:
        s3.put_object(
            Bucket=bucket,
            Key="index.html",
            Body=original["Body"].read(),
            ContentType=original["ContentType"],
            CacheControl=original["CacheControl"],
        )


def test_api_calls_reach_the_gateway_without_their_prefix_and_keep_its_errors(devstack):
    running, _ = devstack
    health = _get(running, "/api/health")
    assert health.status_code == 200
    assert health.json() == requests.get(f"{running.outputs.api_url}/health", timeout=TIMEOUT).json()
    refused = _get(running, "/api/professionals")
    assert refused.status_code == 401
    assert refused.json() == {"message": "Unauthorized"}  # API Gateway's own, not the app
    unknown = _get(running, "/api/no-such-route")
    assert unknown.status_code == 404
    assert "x-request-id" in unknown.headers


def test_config_json_points_the_app_at_the_devstacks_api_and_sign_in(devstack, config):
    outputs = devstack[0].outputs
    assert config["apiUrl"] == f"{outputs.web_url}/api"
    assert config["authority"] == f"{outputs.sign_in_url}/{outputs.user_pool_id}"
    assert config["signInDomain"] == outputs.sign_in_url
    assert f"{outputs.web_url}/callback" in config["redirectUris"]
    assert f"{outputs.web_url}/" in config["logoutUris"]
    assert config["userPoolClientId"] == outputs.user_pool_client_id


def test_discovery_names_aws_issuer_and_the_devstacks_endpoints(devstack, config):
    outputs = devstack[0].outputs
    answer = requests.get(f"{config['authority']}/.well-known/openid-configuration", timeout=TIMEOUT)
    document = answer.json()
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert document["issuer"] == f"https://cognito-idp.us-east-1.amazonaws.com/{outputs.user_pool_id}"
    assert document["authorization_endpoint"] == f"{outputs.sign_in_url}/oauth2/authorize"
    assert document["token_endpoint"] == f"{outputs.sign_in_url}/oauth2/token"
    keys = requests.get(document["jwks_uri"], timeout=TIMEOUT).json()["keys"]
    assert [key["kid"] for key in keys] == ["dummy"]


def test_sign_in_with_pkce_gives_tokens_the_api_accepts_and_a_refresh_keeps_sub_and_auth_time(
    devstack, config
):
    running, _ = devstack
    patient = running.outputs.demo_user_with_role("Patient")
    browser = Browser.for_app(running.outputs.sign_in_url, config, running.outputs.web_url)
    verifier, challenge = pkce_pair()
    code = browser.code(challenge, patient.email, patient.password)

    tokens = browser.exchange(code, verifier)
    assert tokens.status_code == 200, tokens.text
    assert tokens.headers["Access-Control-Allow-Origin"] == "*"
    assert tokens.headers["Cache-Control"] == "no-store"
    body = tokens.json()
    claims = jwt.decode(body["id_token"], options={"verify_signature": False})
    assert claims["iss"] == f"https://cognito-idp.us-east-1.amazonaws.com/{running.outputs.user_pool_id}"
    assert claims["aud"] == config["userPoolClientId"]
    assert claims["custom:tenant_id"] == patient.tenant_id
    assert claims["cognito:groups"] == ["Patient"]
    tenant = _get(running, "/api/tenant", Authorization=f"Bearer {body['id_token']}")
    assert tenant.status_code == 200, tenant.text
    assert browser.exchange(code, verifier).json() == {"error": "invalid_grant"}, "a code is single-use"

    time.sleep(1.1)  # a new token's auth_time would differ by now
    refreshed = browser.token(grant_type="refresh_token", refresh_token=body["refresh_token"])
    assert refreshed.status_code == 200, refreshed.text
    renewed = jwt.decode(refreshed.json()["id_token"], options={"verify_signature": False})
    assert (renewed["sub"], renewed["auth_time"]) == (claims["sub"], claims["auth_time"])
    assert renewed["iat"] > claims["iat"]
    again = _get(running, "/api/tenant", Authorization=f"Bearer {refreshed.json()['id_token']}")
    assert again.status_code == 200


def test_a_wrong_verifier_or_none_is_refused(devstack, config):
    running, _ = devstack
    patient = running.outputs.demo_user_with_role("Patient")
    browser = Browser.for_app(running.outputs.sign_in_url, config, running.outputs.web_url)
    _, challenge = pkce_pair()
    other_verifier, _ = pkce_pair()
    wrong = browser.exchange(browser.code(challenge, patient.email, patient.password), other_verifier)
    assert (wrong.status_code, wrong.json()) == (400, {"error": "invalid_grant"})
    # The session signs the next authorize in at once; still no tokens without the verifier.
    location = browser.authorize(challenge).headers["Location"]
    missing = browser.exchange(query_of(location)["code"], None)
    assert missing.json() == {"error": "invalid_grant"}


def test_a_wrong_password_is_refused_on_the_page_in_the_asked_language(devstack, config):
    running, _ = devstack
    patient = running.outputs.demo_user_with_role("Patient")
    browser = Browser.for_app(running.outputs.sign_in_url, config, running.outputs.web_url)
    page = browser.sign_in_page(pkce_pair()[1], lang="es")
    assert '<html lang="es">' in page.text
    assert '<label for="signInFormUsername">Correo electrónico</label>' in page.text
    refused = browser.submit(page, patient.email, "not-the-password")
    assert refused.status_code == 200
    assert 'role="alert">Correo o contraseña incorrectos.' in refused.text
    assert "cognito" not in browser.session.cookies
    english = browser.sign_in_page(pkce_pair()[1], lang="en")
    assert "Sign in to your clinic" in english.text


def test_logout_ends_the_session_only_towards_a_registered_uri(devstack, config):
    running, _ = devstack
    admin = running.outputs.demo_user_with_role("Admin")
    browser = Browser.for_app(running.outputs.sign_in_url, config, running.outputs.web_url)
    browser.code(None, admin.email, admin.password)
    assert browser.authorize(None).headers["Location"].startswith(browser.redirect_uri)
    foreign = browser.get("/logout", client_id=browser.client_id, logout_uri="https://evil.example/")
    assert foreign.status_code == 400
    logout_uri = f"{running.outputs.web_url}/"
    out = browser.get("/logout", client_id=browser.client_id, logout_uri=logout_uri)
    assert (out.status_code, out.headers["Location"]) == (302, logout_uri)
    assert browser.authorize(None).headers["Location"].startswith("/login?")


def test_an_unregistered_redirect_uri_gets_an_error_page_not_a_redirect(devstack, config):
    running, _ = devstack
    browser = Browser.for_app(running.outputs.sign_in_url, config, running.outputs.web_url)
    browser.redirect_uri = "https://evil.example/callback"
    answer = browser.authorize(pkce_pair()[1])
    assert answer.status_code == 400
    assert "redirect_mismatch" in answer.text
