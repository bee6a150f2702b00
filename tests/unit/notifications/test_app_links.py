"""Every email links to its booking in the app (``<web_url>/appointments/<id>``), where
the patient signs in if needed and can reschedule or cancel it."""

from __future__ import annotations

import pytest
from booking.adapters.ics_calendar import IcsCalendarWriter
from booking.adapters.jinja_emails import JinjaEmailRenderer
from booking.domain.notifications import EmailKind

from tests.notification_support import NOW, SENDER, make_facts, make_tenant

WEB_URL = "https://app.clinica.example"


@pytest.mark.parametrize("kind", list(EmailKind))
@pytest.mark.parametrize(("locale", "label"), [("es-EC", "Ver la cita"), ("en-US", "See the appointment")])
def test_each_email_links_to_its_booking_in_the_app(kind, locale, label):
    email_facts = make_facts(tenant=make_tenant(locale=locale))
    renderer = JinjaEmailRenderer(SENDER, IcsCalendarWriter(), web_url=f"{WEB_URL}/")
    email = renderer.render(kind, email_facts, NOW)
    link = f"{WEB_URL}/appointments/{email_facts.booking.id}"
    assert f"{label} " in email.text
    assert f": {link}\n" in email.text
    assert f'<a href="{link}"' in email.html


def test_without_the_apps_url_an_email_has_no_link():
    email = JinjaEmailRenderer(SENDER, IcsCalendarWriter()).render(EmailKind.CONFIRMATION, make_facts(), NOW)
    assert "/appointments/" not in email.text
    assert "/appointments/" not in email.html
