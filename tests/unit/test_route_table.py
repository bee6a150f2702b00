"""The route table is the single declaration of the API: its invariants."""

import re

from booking.routes import ROUTES, find_route
from booking.settings import FUNCTIONS


def test_every_route_key_is_declared_once():
    keys = [route.route_key for route in ROUTES]
    assert len(keys) == len(set(keys))


def test_every_route_is_served_by_a_synchronous_function():
    for route in ROUTES:
        assert route.function in FUNCTIONS, route.route_key
        assert FUNCTIONS[route.function].behind_api, route.route_key


def test_paths_use_api_gateway_parameter_syntax():
    for route in ROUTES:
        assert re.fullmatch(r"(/[a-z]+(-[a-z]+)*(/\{[a-zA-Z]+\})?)+", route.path), route.path


def test_only_health_is_public():
    assert [route.route_key for route in ROUTES if route.public] == ["GET /health"]


def test_write_routes_that_book_carry_a_stricter_throttle():
    assert find_route("POST", "/bookings").throttle is not None
    assert find_route("GET", "/bookings").throttle is None
