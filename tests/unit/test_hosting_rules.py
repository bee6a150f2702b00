"""The hosting's small rules: viewer-request rewrites (Python and the generated
CloudFront code agree), cache and content-type rules, CSP script hashes, browser URLs."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from components import site_content, viewer_requests
from components.edge_policies import ContentSecurityPolicy
from components.public_urls import browser_url, is_loopback, managed_login_url, origin_of

URIS = [
    "/",
    "/index.html",
    "/callback",
    "/appointments",
    "/appointments/",
    "/appointments/b-123",
    "/appointments/b-123/reschedule",
    "/v1.2/deep",
    "/config.json",
    "/favicon.svg",
    "/_app/version.json",
    "/_app/immutable/chunks/CCelTJmJ.js",
    "/api",
    "/api/",
    "/api/health",
    "/api/bookings/x.y",
    "/apis/x",
    "/api.json",
]

EXPECTED = {
    viewer_requests.SPA_FALLBACK.name: {
        "/": "/index.html",
        "/callback": "/index.html",
        "/appointments/b-123/reschedule": "/index.html",
        "/v1.2/deep": "/index.html",
        "/config.json": "/config.json",
        "/_app/immutable/chunks/CCelTJmJ.js": "/_app/immutable/chunks/CCelTJmJ.js",
        "/api.json": "/api.json",
    },
    viewer_requests.STRIP_API_PREFIX.name: {
        "/api": "/",
        "/api/": "/",
        "/api/health": "/health",
        "/api/bookings/x.y": "/bookings/x.y",
        "/apis/x": "/apis/x",
        "/callback": "/callback",
    },
}


@pytest.mark.parametrize("rule", viewer_requests.RULES, ids=lambda rule: rule.name)
def test_each_rewrite_does_what_it_says(rule):
    for uri, expected in EXPECTED[rule.name].items():
        assert rule.apply(uri) == expected, uri


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
@pytest.mark.parametrize("rule", viewer_requests.RULES, ids=lambda rule: rule.name)
def test_the_cloudfront_function_rewrites_exactly_as_the_rule(rule, tmp_path: Path):
    script = tmp_path / "check.js"
    script.write_text(
        rule.javascript()
        + f"const uris = {json.dumps(URIS)};\n"
        + "console.log(JSON.stringify(uris.map((uri) => handler({request: {uri}}).uri)));\n"
    )
    node = str(shutil.which("node"))
    completed = subprocess.run([node, str(script)], capture_output=True, text=True, check=True)
    assert json.loads(completed.stdout) == [rule.apply(uri) for uri in URIS]


def test_a_function_code_names_its_rule_and_foreign_code_none():
    for rule in viewer_requests.RULES:
        assert viewer_requests.rule_for_code(rule.javascript()) is rule
    with pytest.raises(LookupError):
        viewer_requests.rule_for_code("function handler(event) { return event.request; }")


@pytest.mark.parametrize(
    ("key", "cache_control", "content_type"),
    [
        ("index.html", "no-cache", "text/html; charset=utf-8"),
        ("config.json", "no-cache", "application/json"),
        ("_app/version.json", "no-cache", "application/json"),
        (
            "_app/immutable/entry/app.X.js",
            "public, max-age=31536000, immutable",
            "text/javascript; charset=utf-8",
        ),
        ("_app/immutable/assets/0.Y.css", "public, max-age=31536000, immutable", "text/css; charset=utf-8"),
        ("favicon.svg", "public, max-age=3600", "image/svg+xml"),
        ("robots", "public, max-age=3600", "application/octet-stream"),
    ],
)
def test_cache_and_content_type_rules(key, cache_control, content_type):
    assert site_content.cache_control_for(key) == cache_control
    assert site_content.content_type_for(key) == content_type


def test_a_build_must_not_bring_its_own_config(tmp_path: Path):
    with pytest.raises(ValueError, match=r"must not contain config\.json"):
        site_content.site_files(tmp_path, ["index.html", "config.json"])


def test_inline_script_hashes_cover_the_exact_text_of_inline_scripts_only():
    body = "\n\t\t\t\t{\n\t\t\t\t\tx = 1 < 2 && '&amp;';\n\t\t\t\t}\n\t\t\t"
    html = f'<html><head><script src="/a.js"></script></head><body><script>{body}</script></body></html>'
    expected = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    assert site_content.inline_script_hashes(html) == [f"'sha256-{expected}'"]


def test_the_csp_lists_each_connect_origin_once_after_self():
    policy = ContentSecurityPolicy(["'sha256-abc'"], ["https://a.example", "https://a.example"]).render()
    assert "script-src 'self' 'sha256-abc';" in policy
    assert "style-src 'self';" in policy
    assert "connect-src 'self' https://a.example;" in policy


def test_style_attributes_are_allowed_only_by_their_hash():
    policy = ContentSecurityPolicy([], [], ["'sha256-s='"]).render()
    assert "style-src 'self' 'unsafe-hashes' 'sha256-s=';" in policy


def test_the_static_style_attributes_of_compiled_templates_are_found_and_hashed():
    javascript = (
        'var t = $.from_html(`<div id="a" style="position: absolute; width: 1px">x</div>`);\n'
        'var u = `<p style="${dynamic}"></p>`; var v = "<b style=\\"color: red\\">";\n'
        'var w = `<i data-style="nope"></i><em style="position: absolute; width: 1px"></em>`;\n'
    )
    assert site_content.style_attribute_hashes([javascript]) == [
        site_content.csp_hash("position: absolute; width: 1px")
    ]


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("d111.cloudfront.net", "https://d111.cloudfront.net"),
        (
            "cognito-idp.us-east-1.amazonaws.com/us-east-1_a",
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_a",
        ),
        ("127.0.0.1:8081", "http://127.0.0.1:8081"),
        ("localhost:9/x", "http://localhost:9/x"),
        ("[::1]:9", "http://[::1]:9"),
    ],
)
def test_public_hosts_get_https_and_loopback_hosts_http(host, url):
    assert browser_url(host) == url
    assert is_loopback(host) is url.startswith("http://")


def test_the_managed_login_is_cognitos_domain_in_aws_and_the_pools_origin_on_loopback():
    aws = managed_login_url("p", "eu-west-1", "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_a")
    assert aws == "https://p.auth.eu-west-1.amazoncognito.com"
    assert managed_login_url("p", "eu-west-1", "127.0.0.1:8082/eu-west-1_a") == "http://127.0.0.1:8082"
    assert origin_of("http://127.0.0.1:8082/eu-west-1_a") == "http://127.0.0.1:8082"
