"""CORS on the HTTP API: compliant and violating props side by side."""

from __future__ import annotations

import pytest

from tests.policies.harness import UNKNOWN, assert_reports, resource_messages
from tests.policies.samples import API, DELETE, SPA_ORIGIN, api, with_

DEV = {"allowLocalhost": True, "allowWildcard": True}


@pytest.mark.parametrize(
    ("props", "config", "expected"),
    [
        pytest.param(api(), None, [], id="explicit https origin passes"),
        pytest.param(
            with_(api(), corsConfiguration=DELETE), None, ["corsConfiguration is not set"], id="no-cors"
        ),
        pytest.param(
            with_(api(), corsConfiguration__allowOrigins=[]), None, ["allowOrigins is empty"], id="empty"
        ),
        pytest.param(
            with_(api(), corsConfiguration__allowOrigins=["*"]), None, ["contains '*'"], id="wildcard-prd"
        ),
        pytest.param(with_(api(), corsConfiguration__allowOrigins=["*"]), DEV, [], id="wildcard-in-dev"),
        pytest.param(
            with_(api(), corsConfiguration__allowOrigins=["http://app.example.com"]),
            None,
            ["is not https://"],
            id="plain-http",
        ),
        pytest.param(
            with_(api(), corsConfiguration__allowOrigins=["http://localhost:5173"]),
            None,
            ["allowed only in dev"],
            id="localhost-outside-dev",
        ),
        pytest.param(
            with_(api(), corsConfiguration__allowOrigins=["http://localhost:5173", SPA_ORIGIN]),
            DEV,
            [],
            id="localhost-in-dev",
        ),
        pytest.param(
            with_(api(), corsConfiguration__allowOrigins=["https://app.example.com/app"]),
            None,
            ["has a path"],
            id="origin-with-path",
        ),
        pytest.param(
            api(),
            {"allowedOrigins": ["https://app.example.com", "https://admin.example.com"]},
            ["missing ['https://admin.example.com']"],
            id="differs-from-stack-config",
        ),
        pytest.param(api(), {"allowedOrigins": [SPA_ORIGIN]}, [], id="equals-stack-config"),
        pytest.param(
            with_(api(), corsConfiguration__allowOrigins=[SPA_ORIGIN, "*"]),
            {**DEV, "allowedOrigins": [SPA_ORIGIN]},
            [],
            id="tolerated-wildcard-beside-the-configured-list",
        ),
        pytest.param(
            with_(api(), corsConfiguration__allowOrigins=["*"]),
            {**DEV, "allowedOrigins": [SPA_ORIGIN]},
            ["missing ['https://app.example.com']"],
            id="tolerated-wildcard-instead-of-the-configured-list",
        ),
        pytest.param(
            with_(api(), protocolType="WEBSOCKET", corsConfiguration=DELETE), None, [], id="websocket"
        ),
    ],
)
def test_cors_origins_are_explicit_https_and_match_the_stack(props, config, expected):
    assert_reports(resource_messages("cors-origins", API, props, config), expected)


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        pytest.param(api(), [], id="explicit lists pass"),
        pytest.param(
            with_(api(), corsConfiguration__allowMethods=["*"]), ["allowMethods contains '*'"], id="m*"
        ),
        pytest.param(
            with_(api(), corsConfiguration__allowMethods=DELETE), ["allowMethods is empty"], id="no-m"
        ),
        pytest.param(
            with_(api(), corsConfiguration__allowHeaders=["*"]),
            ["allowHeaders contains '*'", "lacks 'Authorization'", "lacks 'Idempotency-Key'"],
            id="headers-wildcard",
        ),
        pytest.param(
            with_(api(), corsConfiguration__allowHeaders=["authorization", "content-type"]),
            ["lacks 'Idempotency-Key'"],
            id="missing-idempotency-key-case-insensitive",
        ),
    ],
)
def test_cors_methods_and_headers_are_explicit_and_complete(props, expected):
    assert_reports(resource_messages("cors-methods-and-headers", API, props), expected)


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        pytest.param(with_(api(), corsConfiguration__allowCredentials=True), [], id="credentials-explicit"),
        pytest.param(with_(api(), corsConfiguration__allowOrigins=["*"]), [], id="wildcard-no-credentials"),
        pytest.param(
            with_(api(), corsConfiguration__allowCredentials=True, corsConfiguration__allowOrigins=["*"]),
            ["allowOrigins contains '*'"],
            id="credentials-with-wildcard-origin",
        ),
        pytest.param(
            with_(api(), corsConfiguration__allowCredentials=True, corsConfiguration__allowHeaders=["*"]),
            ["allowHeaders contains '*'"],
            id="credentials-with-wildcard-header",
        ),
    ],
)
def test_cors_never_allows_credentials_with_a_wildcard(props, expected):
    assert_reports(resource_messages("cors-credentials", API, props), expected)


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        pytest.param(api(), [], id="one hour passes"),
        pytest.param(with_(api(), corsConfiguration__maxAge=DELETE), ["maxAge is not set"], id="unset"),
        pytest.param(with_(api(), corsConfiguration__maxAge=0), ["maxAge is not set"], id="zero"),
        pytest.param(with_(api(), corsConfiguration__maxAge=100000), ["above 86400s"], id="too-long"),
    ],
)
def test_cors_preflight_has_a_max_age(props, expected):
    assert_reports(resource_messages("cors-max-age", API, props), expected)


def test_every_cors_message_names_the_resource_and_the_property():
    (message,) = resource_messages(
        "cors-origins", API, with_(api(), corsConfiguration__allowOrigins=["*"]), name="http-api"
    )
    assert message.startswith(f"{API} 'http-api': corsConfiguration.allowOrigins")
    assert "replace it with" in message


def test_an_unknown_origin_list_is_left_to_the_engine_as_in_a_preview():
    from pulumi_policy.proxy import UnknownValueError

    with pytest.raises(UnknownValueError):
        resource_messages("cors-origins", API, with_(api(), corsConfiguration__allowOrigins=UNKNOWN))
