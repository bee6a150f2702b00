"""``IdentityMessageRenderer`` on jinja2: the pool's emails (an invitation, a verification
code, a password reset) in the clinic's language and with its name, from the templates
beside the booking emails (``booking/templates/<language>/<kind>.subject.txt`` and
``<kind>.html``, on ``identity_base.html``). The same environment and language choice
as the booking emails (``jinja_emails``): autoescaped HTML, so a clinic named ``<b>``
stays text, and strict variables.

Cognito's placeholders (``{####}``, ``{username}``) reach the templates as values and
are not escaped away: braces and hashes are plain text in HTML.
"""

from __future__ import annotations

from booking.adapters.email_templates import environment as template_environment
from booking.adapters.jinja_emails import language_for
from booking.domain.identity_messages import IdentityMessage, IdentityMessageFacts

# Cognito's limits on what the custom-message trigger returns.
MAX_SUBJECT_CHARACTERS = 140
MAX_MESSAGE_CHARACTERS = 20_000


class JinjaIdentityMessageRenderer:
    def render(self, facts: IdentityMessageFacts) -> IdentityMessage:
        language = language_for(facts.tenant.locale)
        context = {
            "language": language,
            "clinic": facts.tenant.name,
            "recipient_name": facts.recipient_name or "",
            "code": facts.code_parameter,
            "username": facts.username_parameter or "",
        }
        environment = template_environment()

        def render_one(suffix: str) -> str:
            return environment.get_template(f"{language}/{facts.kind.value}.{suffix}").render(context)

        subject = " ".join(render_one("subject.txt").split())[:MAX_SUBJECT_CHARACTERS]
        html = render_one("html")
        if len(html) > MAX_MESSAGE_CHARACTERS:
            raise ValueError(f"the {facts.kind} message is longer than Cognito accepts")
        return IdentityMessage(subject=subject, html=html)
