"""What API Gateway itself answers, on the devstack: tenants kept apart, bad tokens
refused, CORS from the stack's configuration, throttling."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import yaml

from tests.e2e.conftest import ROOT, Devstack, create_booking, find_bookable
from tests.forged_tokens import BAD_TOKENS

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("devstack")]


def _allowed_origin() -> str:
    """The first CORS origin the dev stack's configuration allows."""
    config = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text())["config"]
    origin: str = config["booking-platform:cors"]["allowOrigins"][0]
    return origin


def test_a_token_of_another_tenant_never_reaches_this_tenants_data(devstack: Devstack):
    api = devstack.api
    reception = devstack.token("Reception")
    bookable = find_bookable(api, reception)
    booking = create_booking(api, reception, bookable.request(1, patientId=devstack.user_id("Patient")))
    stranger = devstack.add_user(
        f"admin-{uuid.uuid4().hex[:8]}@other-clinic.example", "tenant-b-e2e", "Admin"
    )

    read = api.get(f"/bookings/{booking['id']}", stranger)
    moved = api.request(
        "PUT", f"/bookings/{booking['id']}", stranger, json={"start": bookable.slots[-1]["start"]}
    )
    cancelled = api.request("DELETE", f"/bookings/{booking['id']}", stranger)
    listed = api.get("/bookings", stranger)
    professional = api.get(f"/professionals/{bookable.professional_id}", stranger)

    assert read.status_code in {403, 404}, read.text
    assert moved.status_code in {403, 404}, moved.text
    assert cancelled.status_code in {403, 404}, cancelled.text
    assert professional.status_code in {403, 404}, professional.text
    assert listed.status_code != 200 or booking["id"] not in {item["id"] for item in listed.json()["items"]}
    unchanged = api.get(f"/bookings/{booking['id']}", reception).json()
    assert (unchanged["status"], unchanged["start"]) == ("confirmed", booking["start"])


@pytest.mark.parametrize("kind", sorted(BAD_TOKENS))
def test_a_bad_token_is_refused_with_401(devstack: Devstack, kind: str):
    token = BAD_TOKENS[kind](devstack.token("Admin"))

    response = devstack.api.get("/bookings", token)

    assert response.status_code == 401
    assert response.json() == {"message": "Unauthorized"}


def test_a_request_without_a_token_is_401_and_a_public_route_needs_none(devstack: Devstack):
    assert devstack.api.get("/bookings").status_code == 401
    assert devstack.api.get("/health").status_code == 200


def test_a_preflight_from_an_allowed_origin_is_answered_with_the_configured_cors(devstack: Devstack):
    origin = _allowed_origin()

    response = requests.options(
        f"{devstack.api.base_url}/bookings",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type,idempotency-key",
        },
        timeout=10,
    )

    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == origin
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "idempotency-key" in response.headers["Access-Control-Allow-Headers"].lower()


def test_a_preflight_and_a_request_from_a_refused_origin_get_no_cors_headers(devstack: Devstack):
    refused = "https://not-our-clinic.example"

    preflight = requests.options(
        f"{devstack.api.base_url}/bookings",
        headers={"Origin": refused, "Access-Control-Request-Method": "POST"},
        timeout=10,
    )
    actual = devstack.api.get("/health", headers={"Origin": refused})

    assert "Access-Control-Allow-Origin" not in preflight.headers
    assert actual.status_code == 200
    assert "Access-Control-Allow-Origin" not in actual.headers


def test_a_request_from_an_allowed_origin_gets_the_cors_headers(devstack: Devstack):
    response = devstack.api.get("/health", headers={"Origin": _allowed_origin()})

    assert response.headers["Access-Control-Allow-Origin"] == _allowed_origin()


def test_past_the_routes_burst_the_gateway_answers_429(devstack: Devstack):
    url = f"{devstack.api.base_url}/health"

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(lambda _: requests.get(url, timeout=30), range(120)))

    throttled = [answer for answer in answers if answer.status_code == 429]
    assert throttled, "the stage's burst limit was never reached"
    assert throttled[0].json() == {"message": "Too Many Requests"}
    assert {answer.status_code for answer in answers} <= {200, 429}
    time.sleep(2)  # let the bucket refill for the tests after this one
