"""The gateway answers as API Gateway does: authorizer, CORS, throttling, payload 2.0."""

from __future__ import annotations

import base64
import json
from typing import Any

import jwt
import pytest
from werkzeug.test import Client

from devstack.functions import FunctionError
from devstack.functions.context import LambdaContext
from devstack.functions.worker import error_payload, load_handler
from devstack.gateway.app import Gateway
from devstack.gateway.authorizer import emulator_jwks_resolver
from devstack.gateway.model import ServedApi, build_served_api
from tests.forged_tokens import alg_none, expired_copy, forged, mint, stranger_key
from tests.unit.gateway.conftest import EmulatedPool
from tests.unit.gateway.inventory_factory import standard_program

ORIGIN = "https://app.example.com"


class InProcessInvoker:
    """Calls the handlers directly and remembers every event (the runtime's
    process isolation is tested on its own)."""

    def __init__(self, api: ServedApi) -> None:
        self._functions = api.functions
        self.events: list[dict[str, Any]] = []

    def invoke(self, function_name: str, event: dict[str, Any]) -> dict[str, Any]:
        self.events.append(event)
        function = self._functions[function_name]
        context = LambdaContext(
            function_name=function.name,
            invoked_function_arn=function.arn,
            memory_limit_in_mb=function.memory_mb,
            aws_request_id="req",
            log_group_name=function.log_group_name,
            log_stream_name="stream",
            deadline_epoch_ms=2**62,
        )
        try:
            result: dict[str, Any] = load_handler(function.handler)(event, context)
        except Exception as error:
            payload = error_payload(error)
            raise FunctionError(function_name, payload["errorType"], payload["errorMessage"]) from error
        return result


@pytest.fixture
def invoker(emulated_pool: EmulatedPool) -> InProcessInvoker:
    api = build_served_api(
        standard_program(issuer=emulated_pool.issuer, audiences=[emulated_pool.client_id]).inventory()
    )
    return InProcessInvoker(api)


@pytest.fixture
def client(emulated_pool: EmulatedPool, invoker: InProcessInvoker) -> Client:
    api = build_served_api(
        standard_program(issuer=emulated_pool.issuer, audiences=[emulated_pool.client_id]).inventory()
    )
    return Client(
        Gateway(api, invoker, emulator_jwks_resolver(emulated_pool.endpoint_url)), use_cookies=False
    )


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _event_of(response: Any) -> dict[str, Any]:
    event: dict[str, Any] = json.loads(response.get_data())["event"]
    return event


# --- JWT authorizer ---------------------------------------------------------------


def test_a_valid_id_token_reaches_the_function_with_its_claims_as_api_gateway_passes_them(
    client, emulated_pool
):
    response = client.get("/items/abc", headers=_bearer(emulated_pool.id_token))

    assert response.status_code == 200
    authorizer = _event_of(response)["requestContext"]["authorizer"]["jwt"]
    claims = authorizer["claims"]
    assert claims["custom:tenant_id"] == "tenant-a"
    assert claims["cognito:groups"] == "[Admin]"
    assert claims["aud"] == emulated_pool.client_id
    assert claims["exp"] == str(emulated_pool.claims()["exp"])
    assert all(isinstance(value, str) for value in claims.values())


def test_an_access_token_is_accepted_by_its_client_id(client, emulated_pool):
    response = client.get("/items/abc", headers=_bearer(emulated_pool.access_token))

    assert response.status_code == 200
    assert _event_of(response)["requestContext"]["authorizer"]["jwt"]["claims"]["token_use"] == "access"


def test_a_token_without_the_bearer_prefix_is_accepted_as_api_gateway_does(client, emulated_pool):
    assert client.get("/items/abc", headers={"Authorization": emulated_pool.id_token}).status_code == 200


def _bad_tokens(pool: EmulatedPool) -> dict[str, str]:
    claims = pool.claims()
    unsigned = jwt.encode(claims, None, algorithm="none", headers={"kid": "dummy"})  # type: ignore[arg-type]
    return {
        "forged signature": forged(pool.id_token),
        "signed by a stranger under another key id": mint(claims, key=stranger_key(), kid="stranger"),
        "expired": mint(expired_copy(claims)),
        "wrong audience": mint({**claims, "aud": "someone-elses-client"}),
        "alg none": unsigned,
        "alg none, signature stripped from a real token": alg_none(pool.id_token),
        "HS256 with a guessable secret": mint(
            claims, key="a-guessable-secret-that-is-long-enough", algorithm="HS256"
        ),
        "wrong issuer": mint(
            {**claims, "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other"}
        ),
        "unknown token_use": mint({**claims, "token_use": "refresh"}),
        "garbage": "not-a-jwt",
    }


@pytest.mark.parametrize(
    "kind",
    [
        "forged signature",
        "signed by a stranger under another key id",
        "expired",
        "wrong audience",
        "alg none",
        "alg none, signature stripped from a real token",
        "HS256 with a guessable secret",
        "wrong issuer",
        "unknown token_use",
        "garbage",
    ],
)
def test_a_bad_token_is_401_and_never_reaches_the_function(client, invoker, emulated_pool, kind):
    response = client.get("/items/abc", headers=_bearer(_bad_tokens(emulated_pool)[kind]))

    assert response.status_code == 401
    assert response.json == {"message": "Unauthorized"}
    assert invoker.events == []


def test_a_missing_token_is_401(client, invoker):
    response = client.get("/items/abc")

    assert response.status_code == 401
    assert response.json == {"message": "Unauthorized"}
    assert invoker.events == []


def test_a_public_route_needs_no_token(client):
    response = client.get("/health")

    assert response.status_code == 200
    assert "authorizer" not in _event_of(response)["requestContext"]


# --- CORS -------------------------------------------------------------------------


def test_a_preflight_from_an_allowed_origin_is_answered_by_the_gateway(client, invoker):
    response = client.options(
        "/items/abc",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Idempotency-Key",
        },
    )

    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "POST" in response.headers["Access-Control-Allow-Methods"].split(",")
    assert "idempotency-key" in response.headers["Access-Control-Allow-Headers"].split(",")
    assert response.headers["Access-Control-Max-Age"] == "600"
    assert invoker.events == []


def test_a_preflight_from_a_refused_origin_gets_no_cors_headers(client, invoker):
    response = client.options(
        "/items/abc", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    )

    assert not [name for name, _ in response.headers.items() if name.lower().startswith("access-control-")]
    assert invoker.events == []


def test_a_preflight_asking_for_a_header_not_allowed_gets_no_cors_headers(client):
    response = client.options(
        "/items/abc",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "x-evil",
        },
    )

    assert "Access-Control-Allow-Origin" not in response.headers


def test_a_response_to_an_allowed_origin_carries_the_cors_headers(client):
    response = client.get("/health", headers={"Origin": ORIGIN})

    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert response.headers["Access-Control-Expose-Headers"] == "x-request-id"


def test_a_response_to_a_refused_origin_carries_no_cors_headers(client):
    response = client.get("/health", headers={"Origin": "https://evil.example"})

    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers


# --- Throttling -------------------------------------------------------------------


def test_a_route_is_throttled_at_its_own_burst_with_api_gateways_answer(client):
    answers = [client.get("/limited").status_code for _ in range(3)]
    throttled = client.get("/limited")

    assert answers == [200, 200, 429]
    assert throttled.json == {"message": "Too Many Requests"}
    # Another route has its own bucket, from the stage defaults.
    assert client.get("/health").status_code == 200


def test_throttling_settings_with_only_a_burst_throttle_every_request(emulated_pool):
    program = standard_program(default_route_settings={"throttlingBurstLimit": 0, "throttlingRateLimit": 100})
    api = build_served_api(program.inventory())
    client = Client(Gateway(api, InProcessInvoker(api), emulator_jwks_resolver(emulated_pool.endpoint_url)))

    assert client.get("/health").status_code == 429


# --- Payload 2.0 event and response -------------------------------------------------


def test_the_event_has_the_payload_2_shape(client, emulated_pool):
    response = client.post(
        "/items?b=2&a=1&a=3&empty=",
        data=json.dumps({"x": 1}),
        headers={
            **_bearer(emulated_pool.id_token),
            "Content-Type": "application/json",
            "X-Custom": "Value",
            "Cookie": "session=abc; theme=dark",
        },
    )

    event = _event_of(response)
    assert event["version"] == "2.0"
    assert event["routeKey"] == "POST /items"
    assert event["rawPath"] == "/items"
    assert event["rawQueryString"] == "b=2&a=1&a=3&empty="
    assert event["queryStringParameters"] == {"a": "1,3", "b": "2", "empty": ""}
    assert event["headers"]["x-custom"] == "Value"
    assert event["headers"]["content-type"] == "application/json"
    assert "cookie" not in event["headers"]
    assert event["cookies"] == ["session=abc", "theme=dark"]
    assert json.loads(event["body"]) == {"x": 1}
    assert event["isBase64Encoded"] is False
    context = event["requestContext"]
    assert context["http"]["method"] == "POST"
    assert context["http"]["path"] == "/items"
    assert context["routeKey"] == "POST /items"
    assert context["stage"] == "$default"
    assert context["apiId"] == "api-1"
    assert context["accountId"] == "123456789012"
    assert isinstance(context["timeEpoch"], int)
    assert context["time"].endswith("+0000")
    assert context["requestId"] == response.headers["apigw-requestid"]
    assert response.headers["x-request-id"] == response.headers["apigw-requestid"]


def test_path_parameters_are_decoded_and_greedy_parameters_span_segments(client, emulated_pool):
    item = _event_of(client.get("/items/a%20b", headers=_bearer(emulated_pool.id_token)))
    files = _event_of(client.get("/files/docs/2026/report.pdf"))

    assert item["pathParameters"] == {"id": "a b"}
    assert files["pathParameters"] == {"proxy": "docs/2026/report.pdf"}
    assert files["routeKey"] == "GET /files/{proxy+}"


def test_a_binary_body_reaches_the_function_base64_encoded(client, emulated_pool):
    response = client.post(
        "/items",
        data=b"\x00\xff\x10",
        headers={**_bearer(emulated_pool.id_token), "Content-Type": "application/octet-stream"},
    )

    event = _event_of(response)
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == b"\x00\xff\x10"


def test_a_structured_response_maps_status_headers_cookies_and_base64_body(client):
    response = client.get("/shaped")

    assert response.status_code == 207
    assert response.headers["x-single"] == "one"
    assert response.headers.getlist("x-multi") == ["a", "b"]
    assert response.headers.getlist("set-cookie") == ["session=abc; HttpOnly", "theme=dark"]
    assert response.get_data() == b"\x00\x01\x02"


def test_a_result_without_status_code_becomes_a_200_json_response(client):
    response = client.get("/plain")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json == {"hello": "world"}


def test_a_failing_function_is_a_502_with_api_gateways_message(client):
    response = client.get("/fail")

    assert response.status_code == 502
    assert response.json == {"message": "Internal Server Error"}


def test_an_undeclared_route_or_method_is_404_not_found(client, invoker):
    assert client.get("/nowhere").json == {"message": "Not Found"}
    assert client.delete("/health").status_code == 404
    assert invoker.events == []
