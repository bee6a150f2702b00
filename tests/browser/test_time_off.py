"""Blocked time in Chromium: a dentist blocks and unblocks their own time, which the API
then holds as the professional's time off."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.browser.flows import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.devstack,  # staff roles of the demo clinic
    pytest.mark.xdist_group("browser"),
]

PROFESSIONAL = "dr-ana-torres"  # the demo dentist's own professional


def time_off(devstack) -> list[dict[str, str]]:
    answer = devstack.api.get(f"/professionals/{PROFESSIONAL}", devstack.token("Dentist"))
    assert answer.status_code == 200, answer.text
    return answer.json().get("timeOff") or []


def test_a_dentist_blocks_and_unblocks_their_own_time(page: Page, sign_in, devstack) -> None:
    before = time_off(devstack)
    time_zone = devstack.api.get("/tenant", devstack.token("Dentist")).json()["timeZone"]
    # Past the horizon other tests book in, so no appointment is in the way.
    day = dt.datetime.now(ZoneInfo(time_zone)).date() + dt.timedelta(days=45)
    sign_in(page, "Dentist", "/calendar")
    try:
        page.get_by_role("navigation", name="Principal").get_by_role("link", name="Mis bloqueos").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mis bloqueos de agenda")
        expect(page.get_by_role("heading", level=2)).to_have_text("Dra. Ana Torres")
        assert_accessible(page)
        page.get_by_role("button", name="+ Añadir ausencia").click()
        row = len(before) + 1
        page.get_by_label(f"Ausencia {row}: Desde").fill(f"{day.isoformat()}T09:00")
        page.get_by_label(f"Ausencia {row}: Hasta").fill(f"{day.isoformat()}T12:00")
        page.get_by_label(f"Ausencia {row}: Motivo (opcional)").fill("Congreso")
        page.get_by_role("button", name="Guardar bloqueos").click()
        expect(page.get_by_role("status").filter(has_text="Bloqueos guardados.")).to_be_visible()
        blocked = [item for item in time_off(devstack) if item.get("reason") == "Congreso"]
        assert len(blocked) == 1
        start = dt.datetime.fromisoformat(blocked[0]["start"]).astimezone(ZoneInfo(time_zone))
        assert (start.date(), start.hour) == (day, 9)

        page.get_by_role("button", name=f"Quitar: Ausencia {row}").click()
        with page.expect_response(
            lambda answer: answer.request.method == "PUT" and "/time-off" in answer.url
        ) as saved:
            page.get_by_role("button", name="Guardar bloqueos").click()
        assert saved.value.status == 200
        assert time_off(devstack) == before
    finally:
        if len(time_off(devstack)) != len(before):
            devstack.api.request(
                "PUT",
                f"/professionals/{PROFESSIONAL}/time-off",
                devstack.token("Dentist"),
                json={"timeOff": before},
            )
