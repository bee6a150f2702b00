"""The booking wizard's steps as a person takes them, and the clinic's clock as the
pages must show it (whatever the browser's zone)."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import Locator, Page, expect

# A booking's page, as the app names it (the id is the API's).
BOOKING_URL = re.compile(r"/appointments/([0-9a-f]{32})$")


def booking_id_in(page: Page) -> str:
    """The id of the booking whose page is shown (after the wizard's last step)."""
    expect(page).to_have_url(BOOKING_URL)
    found = BOOKING_URL.search(page.url)
    assert found is not None
    return found[1]


def wizard_step(page: Page, number: int, *, moved_to: bool = True) -> None:
    """The wizard shows step ``number``; ``moved_to`` (by "Continuar" or "Atrás"): its
    heading has the focus, as the app promises to keyboard and screen-reader users."""
    heading = page.get_by_role("heading", name=re.compile(rf"^Paso {number} de 3:"))
    expect(heading).to_be_visible()
    if moved_to:
        expect(heading).to_be_focused()


def choose_treatment(page: Page, name: str) -> None:
    """Step 1's radio for the treatment (its name is "<name> <n> min")."""
    page.get_by_role("radio", name=re.compile(rf"^{re.escape(name)} \d+ min$")).check()


def time_choices(page: Page) -> Locator:
    """Step 2's radios: one per free start of the chosen day, named by its time."""
    return page.get_by_role("group", name=re.compile(r"^Horarios del ")).get_by_role("radio")


def choose_time(page: Page, index: int = 0) -> tuple[str, str]:
    """Check the ``index``-th free time of the chosen day; its start (ISO, as the API
    gave it) and the time the page shows for it."""
    choice = time_choices(page).nth(index)
    choice.check()
    start = choice.get_attribute("value")
    assert start is not None
    label = choice.locator("xpath=ancestor::label[1]").inner_text().strip()
    return start, label


def a_week_ahead(page: Page) -> None:
    """Step 2: the next week, past the tenant's change window (24 h), so the booking can
    still be moved and cancelled online."""
    page.get_by_role("button", name="Semana siguiente").click()
    expect(time_choices(page).first).to_be_visible()


def clinic_time(start: str, time_zone: str) -> datetime:
    return datetime.fromisoformat(start).astimezone(ZoneInfo(time_zone))


def shown_time_pattern(start: str, time_zone: str) -> re.Pattern[str]:
    """How the app writes the start's wall time in the clinic's zone (es-EC: a 12-hour
    clock, "09:30 a. m."), matched loosely on the separators ICU puts in."""
    wall = clinic_time(start, time_zone)
    hour = wall.hour % 12 or 12
    period = "a" if wall.hour < 12 else "p"
    return re.compile(rf"\b{hour:02d}:{wall.minute:02d}\s*{period}\.?\s*m\.?", re.IGNORECASE)
