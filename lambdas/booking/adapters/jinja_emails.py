"""The ``EmailRenderer`` port on jinja2: the email a patient reads, in the tenant's
language and time zone, from the templates in ``booking/templates/<language>/``, and
the one the clinic's staff read about the same change (``<language>/staff/``: who the
patient is, how to reach them, which professional). Given
the app's URL (``web_url``), every email links to its booking in the app
(``<web_url>/appointments/<id>``, where the patient signs in if needed).

Each kind has three templates: ``<kind>.subject.txt``, ``<kind>.txt`` and
``<kind>.html`` (HTML autoescaped, so a patient named ``<b>`` stays text); the
environment, and the templates compiled into the code archive, are ``email_templates``'.
The language is the first part of the tenant's locale (``es-EC`` -> ``es``), falling back
to Spanish, the product's default. Dates are formatted here rather than with Babel
to keep the Lambda layer small: two languages need two tables of names. The calendar
invitation is written by the ``CalendarWriter`` port the renderer is given.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from booking.adapters.email_templates import environment as template_environment
from booking.domain.notifications import (
    Audience,
    CalendarAttachment,
    CalendarEvent,
    EmailFacts,
    EmailKind,
    OutgoingEmail,
)
from booking.domain.ports import CalendarWriter

DEFAULT_LANGUAGE = "es"
LANGUAGES = frozenset({"es", "en"})

_WEEKDAYS = {
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS = {
    "es": (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
# Which emails carry an invitation, and with which iTIP method.
_CALENDAR_METHODS = {
    EmailKind.CONFIRMATION: "REQUEST",
    EmailKind.RESCHEDULE: "REQUEST",
    EmailKind.CANCELLATION: "CANCEL",
}
_UNKNOWN = {"es": "(sin datos)", "en": "(not available)"}


def language_for(locale: str | None) -> str:
    language = (locale or "").split("-")[0].lower()
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def format_local(moment: datetime, time_zone: str, language: str) -> str:
    """E.g. ``martes 1 de diciembre de 2026, 10:00`` / ``Tuesday, December 1, 2026, 10:00``."""
    local = moment.astimezone(ZoneInfo(time_zone))
    weekday = _WEEKDAYS[language][local.weekday()]
    month = _MONTHS[language][local.month - 1]
    clock = f"{local:%H:%M}"
    if language == "en":
        return f"{weekday}, {month} {local.day}, {local.year}, {clock}"
    return f"{weekday} {local.day} de {month} de {local.year}, {clock}"


class JinjaEmailRenderer:
    def __init__(self, sender_email: str, calendar: CalendarWriter, web_url: str | None = None) -> None:
        self.sender_email = sender_email
        self.calendar = calendar
        self.web_url = web_url.rstrip("/") if web_url else None

    def render(self, kind: EmailKind, facts: EmailFacts, now: datetime) -> OutgoingEmail:
        language = language_for(facts.tenant.locale)
        context = self._context(facts, language)
        context["booking_url"] = f"{self.web_url}/appointments/{facts.booking.id}" if self.web_url else ""
        environment = template_environment()

        folder = language if facts.audience is Audience.PATIENT else f"{language}/staff"

        def render_one(suffix: str) -> str:
            return environment.get_template(f"{folder}/{kind.value}.{suffix}").render(context)

        subject = " ".join(render_one("subject.txt").split())  # one header line, always
        method = _CALENDAR_METHODS.get(kind)
        calendar = None
        if method is not None:
            calendar = CalendarAttachment(
                method=method, content=self.calendar.invitation(self._event(facts, context), method, now)
            )
        return OutgoingEmail(
            kind=kind,
            to=facts.to,
            subject=subject,
            text=render_one("txt"),
            html=render_one("html"),
            sender_name=facts.tenant.name,
            calendar=calendar,
            audience=facts.audience,
            tenant_id=facts.booking.tenant_id,
            booking_id=facts.booking.id,
        )

    @staticmethod
    def _context(facts: EmailFacts, language: str) -> dict[str, object]:
        zone = facts.tenant.time_zone
        unknown = _UNKNOWN[language]
        booking = facts.booking
        return {
            "language": language,
            "clinic": facts.tenant.name,
            "patient_name": facts.patient.name or facts.patient.email,
            "patient_email": facts.patient.email,
            "patient_phone": facts.patient.phone or booking.patient_phone or unknown,
            "recipient_name": (
                (facts.recipient.name if facts.recipient else None)
                or (facts.patient.name if facts.audience is Audience.PATIENT else None)
                or facts.to
            ),
            "professional": facts.professional.name if facts.professional else unknown,
            "treatment": facts.treatment.name if facts.treatment else unknown,
            "when": format_local(booking.start, zone, language),
            "time_zone": zone,
            "previous_when": (
                format_local(facts.previous.start, zone, language) if facts.previous else unknown
            ),
            "reason": booking.cancellation_reason or "",
            # The booking moved to another professional; this one hears it left them.
            "reassigned": facts.audience is Audience.PREVIOUS_PROFESSIONAL,
            "booking_id": booking.id,
        }

    def _event(self, facts: EmailFacts, context: dict[str, object]) -> CalendarEvent:
        booking = facts.booking
        staff = facts.audience is not Audience.PATIENT
        return CalendarEvent(
            # Stable per booking: a reschedule or cancel updates the same calendar entry.
            uid=f"{booking.id}.{booking.tenant_id}@booking-platform",
            sequence=booking.version,
            start=booking.start,
            end=booking.end,
            # Staff calendars name the patient; the patient's names the clinic.
            summary=(
                f"{context['patient_name']} · {context['treatment']}"
                if staff
                else f"{context['treatment']} · {facts.tenant.name}"
            ),
            description=(
                f"{context['patient_name']} ({context['patient_phone']}), {context['professional']}"
                if staff
                else f"{context['professional']}"
            ),
            organizer_name=facts.tenant.name,
            organizer_email=self.sender_email,
            attendee_name=str(context["recipient_name"]),
            attendee_email=facts.to,
        )
