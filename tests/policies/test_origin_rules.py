"""api-origin-verified: an HTTP API behind the distribution answers only the distribution."""

from __future__ import annotations

import pytest

from tests.policies.harness import UNKNOWN, Resource, assert_reports, policies_by_name, validate_stack
from tests.policies.samples import DELETE, DISTRIBUTION, distribution, with_

API = "aws:apigatewayv2/api:Api"
INTEGRATION = "aws:apigatewayv2/integration:Integration"
FUNCTION = "aws:lambda/function:Function"
SECRET = "aws:secretsmanager/secret:Secret"
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:booking-prd/origin-verify-AbCdEf"
INVOKE_ARN = "arn:aws:apigateway:us-east-1:lambda:path/functions/bookings/invocations"
HEADER = {"name": "x-origin-verify", "value": "s3cr3t"}


def _distribution(headers: object = (HEADER,)) -> Resource:
    props = distribution()
    if headers is not DELETE:
        props = with_(props, origins__1__customHeaders=list(headers))  # type: ignore[call-overload]
    return Resource(DISTRIBUTION, "cdn", props)


def _api() -> Resource:
    return Resource(
        API, "api", {"id": "api-1", "apiEndpoint": "https://api-1.execute-api.us-east-1.amazonaws.com"}
    )


def _function(variable: object = SECRET_ARN, name: str = "bookings") -> Resource:
    variables = {"TABLE_NAME": "t"} | ({} if variable is DELETE else {"ORIGIN_SECRET_ARN": variable})
    return Resource(FUNCTION, name, {"invokeArn": INVOKE_ARN, "environment": {"variables": variables}})


def _integration(api_id: str = "api-1") -> Resource:
    return Resource(INTEGRATION, "bookings-integration", {"apiId": api_id, "integrationUri": INVOKE_ARN})


def _secret() -> Resource:
    return Resource(SECRET, "origin-secret", {"arn": SECRET_ARN})


def _stack(**parts: Resource) -> list[Resource]:
    defaults = {
        "distribution": _distribution(),
        "api": _api(),
        "function": _function(),
        "integration": _integration(),
        "secret": _secret(),
    }
    return [resource for resource in {**defaults, **parts}.values() if resource is not None]


def _messages(resources: list[Resource], config: dict[str, str] | None = None) -> list[str]:
    violations = validate_stack(policies_by_name()["api-origin-verified"], resources, config)
    return [violation.message for violation in violations]


@pytest.mark.parametrize(
    ("resources", "expected"),
    [
        pytest.param(_stack(), [], id="header-sent-and-every-function-checks"),
        pytest.param(
            _stack(distribution=_distribution(DELETE)),
            ["forwards to the HTTP API 'api' without the 'x-origin-verify' custom header"],
            id="no-custom-header",
        ),
        pytest.param(
            _stack(distribution=_distribution([{"name": "x-other", "value": "v"}])),
            ["without the 'x-origin-verify' custom header"],
            id="another-header",
        ),
        pytest.param(
            _stack(distribution=_distribution([{"name": "X-Origin-Verify", "value": "v"}])),
            [],
            id="header-names-are-case-insensitive",
        ),
        pytest.param(
            _stack(distribution=_distribution([{"name": "x-origin-verify", "value": ""}])),
            ["without the 'x-origin-verify' custom header"],
            id="empty-value",
        ),
        pytest.param(
            _stack(function=_function(DELETE)),
            ["'bookings': serves the HTTP API 'api' behind the distribution but its environment variable"],
            id="function-not-given-the-secret",
        ),
        pytest.param(
            _stack(function=_function("")),
            ["ORIGIN_SECRET_ARN does not name"],
            id="empty-secret-variable (dev's setting)",
        ),
        pytest.param(
            _stack(function=_function("arn:aws:secretsmanager:us-east-1:1:secret:someone-elses")),
            ["does not name a aws:secretsmanager/secret:Secret of this stack"],
            id="a-secret-of-another-stack",
        ),
        pytest.param(
            _stack(integration=_integration("another-api")),
            [],
            id="function-behind-another-api-is-not-judged",
        ),
        pytest.param(
            [_api(), _function(DELETE), _integration(), _secret()], [], id="no-distribution-nothing-to-verify"
        ),
        pytest.param(
            _stack(api=Resource(API, "api", {"id": "api-1", "apiEndpoint": "https://other.example.com"})),
            [],
            id="distribution-fronting-no-api-of-the-stack",
        ),
    ],
)
def test_an_api_behind_the_distribution_answers_only_the_distribution(resources, expected):
    assert_reports(_messages(resources), expected)


def test_the_header_and_variable_names_come_from_the_config():
    config = {"headerName": "x-edge-key", "secretVariable": "EDGE_KEY_ARN"}
    assert_reports(
        _messages(_stack(), config),
        ["without the 'x-edge-key' custom header", "environment variable EDGE_KEY_ARN does not name"],
    )


def test_values_still_unknown_in_a_preview_count_when_computed_from_the_stacks_resources():
    props = with_(distribution(), origins__1__domainName=UNKNOWN, origins__1__customHeaders=[HEADER])
    unknown_function = Resource(
        FUNCTION,
        "bookings",
        {"invokeArn": INVOKE_ARN, "environment": {"variables": {"ORIGIN_SECRET_ARN": UNKNOWN}}},
        depends={"environment": ("origin-secret",)},
    )
    resources = _stack(
        distribution=Resource(DISTRIBUTION, "cdn", props, depends={"origins": ("api",)}),
        function=unknown_function,
    )
    assert _messages(resources) == []
    computed_from_nothing = Resource(
        FUNCTION,
        "bookings",
        {"invokeArn": INVOKE_ARN, "environment": {"variables": {"ORIGIN_SECRET_ARN": UNKNOWN}}},
    )
    assert_reports(
        _messages(
            _stack(
                distribution=Resource(DISTRIBUTION, "cdn", props, depends={"origins": ("api",)}),
                function=computed_from_nothing,
            )
        ),
        ["ORIGIN_SECRET_ARN does not name"],
    )
