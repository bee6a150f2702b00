"""The README's picture of the signed-in app, taken from the real app on the devstack.

The demo patient books the first free time through the API, and reception opens that
day's calendar. Every run checks the page it shows (the appointment, the operations
pages and "Mi perfil" in the navigation), cancels the appointment again and keeps the
picture in ``build/``; with
``WRITE_README_SCREENSHOT=1`` it replaces ``docs/app-signed-in.png`` instead:

    make web chromium
    WRITE_README_SCREENSHOT=1 .venv/bin/python -m pytest tests/browser/test_readme_screenshot.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NewPage
from tests.browser.flows import settled
from tests.browser.wizard import clinic_time
from tests.e2e.conftest import create_booking, find_bookable

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.devstack,  # the demo clinic's reception user
    pytest.mark.xdist_group("browser"),
]

ROOT = Path(__file__).resolve().parents[2]
README_PICTURE = ROOT / "docs" / "app-signed-in.png"
BUILD_PICTURE = ROOT / "build" / "test-results" / "browser" / README_PICTURE.name
WRITE_VARIABLE = "WRITE_README_SCREENSHOT"
# The README shows it at this size; the clinic's own zone and a Spanish browser, as the
# clinic's front desk sees it.
VIEWPORT = {"width": 1100, "height": 700}
NAVIGATION = ["Agenda", "Reservar para un paciente", "Bloqueos de agenda", "Usuarios", "Mi perfil"]


def test_the_readme_picture_shows_receptions_calendar_with_an_appointment(
    new_page: NewPage, sign_in, devstack
) -> None:
    api, token = devstack.api, devstack.token("Patient")
    bookable = find_bookable(api, token)
    booking = create_booking(api, token, bookable.request(0))
    booking_id = booking["id"]
    try:
        day = clinic_time(booking["start"], bookable.time_zone).date().isoformat()
        page = new_page(viewport=VIEWPORT, timezone_id=bookable.time_zone, locale="es-EC")
        sign_in(page, "Reception", f"/calendar?date={day}")
        navigation = page.get_by_role("navigation", name="Principal").get_by_role("link")
        expect(navigation).to_have_text(NAVIGATION)
        expect(page.locator(f'a[href="/appointments/{booking_id}"]')).to_be_visible()
        settled(page)
        picture = README_PICTURE if os.environ.get(WRITE_VARIABLE) == "1" else BUILD_PICTURE
        picture.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(picture))
        assert picture.stat().st_size > 0
    finally:
        api.request("DELETE", f"/bookings/{booking_id}", token, json={"reason": "README picture"})
