"""What the page says and when: Spanish by default and English on request (remembered),
and the clinic's times whatever the browser's zone (every page here runs in Asia/Tokyo)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import BROWSER_TIME_ZONE
from tests.browser.target import Target, token_of
from tests.browser.wizard import (
    a_week_ahead,
    choose_treatment,
    clinic_time,
    shown_time_pattern,
    time_choices,
    wizard_step,
)
from tests.e2e.conftest import create_booking, find_bookable

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]


def test_the_language_switch_changes_every_text_and_is_remembered(page: Page, sign_in, web_url) -> None:
    sign_in(page, "Patient", "/appointments")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    languages = page.get_by_role("group", name="Idioma")
    expect(languages.get_by_role("button", name="Español")).to_have_attribute("aria-pressed", "true")

    languages.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link")).to_have_text(["My appointments", "Book an appointment", "My profile"])
    expect(page.get_by_role("heading", level=1)).to_have_text("My appointments")
    expect(
        page.get_by_role("group", name="Language").get_by_role("button", name="English")
    ).to_have_attribute("aria-pressed", "true")

    page.reload()  # remembered by this browser
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("My appointments")
    nav.get_by_role("link", name="Book an appointment").click()
    expect(page.get_by_role("heading", name="Step 1 of 3: choose the treatment")).to_be_visible()

    # Signing in again is in English too: the app asks the managed login for its language.
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{web_url}/appointments")
    expect(page.get_by_label("Password")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_times_are_the_clinics_whatever_the_browsers_zone(
    page: Page, sign_in, target: Target, web_url
) -> None:
    sign_in(page, "Patient", "/book")
    api, token = target.api, token_of(page)
    time_zone = api.get("/tenant", token).json()["timeZone"]
    assert time_zone != BROWSER_TIME_ZONE
    assert page.evaluate("() => Intl.DateTimeFormat().resolvedOptions().timeZone") == BROWSER_TIME_ZONE

    wizard_step(page, 1, moved_to=False)
    choose_treatment(page, "Control y diagnóstico")
    page.get_by_role("button", name="Continuar").click()
    wizard_step(page, 2)
    a_week_ahead(page)
    expect(page.get_by_text(f"Horas de la clínica ({time_zone}).")).to_be_visible()
    # Each time is the start's wall time in the clinic's zone, under the clinic's day
    # (Tokyo is 14 hours ahead: its clock, or its date for evening times, would differ).
    choices = time_choices(page)
    expect(choices.first).to_be_visible()
    starts = [choices.nth(index).get_attribute("value") or "" for index in range(choices.count())]
    shown = [
        choices.nth(index).locator("xpath=ancestor::label[1]").inner_text() for index in range(len(starts))
    ]
    for start, text in zip(starts, shown, strict=True):
        assert shown_time_pattern(start, time_zone).search(text), (start, text)
    days = {clinic_time(start, time_zone).date() for start in starts}
    assert len(days) == 1
    day = days.pop()
    legend = re.compile(rf"^Horarios del [^,]+, {day.day} de [^ ]+ de {day.year}$")
    expect(page.get_by_role("group", name=legend)).to_be_visible()

    # A booking's page too.
    bookable = find_bookable(api, token)
    start = bookable.slots[0]["start"]
    booking = create_booking(api, token, bookable.request(0))
    page.goto(f"{web_url}/appointments/{booking['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tu cita")
    expect(
        page.get_by_role("definition").filter(has_text=shown_time_pattern(start, time_zone))
    ).to_be_visible()
    api.request("DELETE", f"/bookings/{booking['id']}", token, json={"reason": "prueba"})
