"""Every email the functions write, rendered by whichever ``booking`` package comes
first on the path, as JSON on stdout with the template loader that served it.

``test_packaging`` runs this in a fresh interpreter against the sources and against the
unpacked code archive (where the templates come compiled): the emails must be the same.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from booking.adapters import email_templates
from booking.adapters.ics_calendar import IcsCalendarWriter
from booking.adapters.jinja_emails import LANGUAGES, JinjaEmailRenderer
from booking.adapters.jinja_identity_emails import JinjaIdentityMessageRenderer
from booking.domain.identity_messages import IdentityMessageFacts, IdentityMessageKind
from booking.domain.notifications import STAFF_KINDS, Audience, EmailKind, Recipient

from tests.notification_support import NOW, SENDER, make_booking, make_facts, make_tenant

STAFF = Recipient(Audience.PROFESSIONAL, "lucia.mora@clinica.example", "Lucía <b>Mora</b>")


def booking_emails(language: str) -> dict[str, Any]:
    renderer = JinjaEmailRenderer(SENDER, IcsCalendarWriter(), "https://citas.clinica.example")
    tenant = make_tenant(locale=language, name="Clínica <Sonrisa>")
    rendered = {}
    for kind in EmailKind:
        for recipient in (None, STAFF) if kind in STAFF_KINDS else (None,):
            facts = make_facts(
                tenant=tenant,
                booking=make_booking(cancellation_reason="Fiebre & tos"),
                previous=make_booking(),
                recipient=recipient,
            )
            email = renderer.render(kind, facts, NOW)
            audience = recipient.audience if recipient else Audience.PATIENT
            rendered[f"{language}/{kind.value}/{audience.value}"] = [email.subject, email.text, email.html]
    return rendered


def identity_emails(language: str) -> dict[str, Any]:
    renderer = JinjaIdentityMessageRenderer()
    tenant = make_tenant(locale=language, name="Clínica <Sonrisa>")
    rendered = {}
    for kind in IdentityMessageKind:
        message = renderer.render(IdentityMessageFacts(kind, tenant, "Ana <i>", "{####}", "{username}"))
        rendered[f"{language}/{kind.value}"] = [message.subject, message.html]
    return rendered


def main() -> None:
    emails: dict[str, Any] = {}
    for language in sorted(LANGUAGES):
        emails |= booking_emails(language) | identity_emails(language)
    loader = type(email_templates.environment().loader).__name__
    json.dump(
        {"loader": loader, "package": email_templates.PACKAGE_ROOT.as_posix(), "emails": emails}, sys.stdout
    )


if __name__ == "__main__":
    main()
