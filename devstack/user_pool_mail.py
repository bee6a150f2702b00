"""The emulated user pool's emails: what Cognito sends when a user signs up, asks for
a new code or is invited, through the pool's SES configuration.

The text is the custom-message trigger's answer (``emailSubject``/``emailMessage``)
or Cognito's default; the placeholders are replaced here, as Cognito replaces them
(the trigger never sees the secret). The email goes through the emulator's SES from
the pool's ``EmailConfiguration.From``, so the outbox pump writes it to
``.devstack/outbox/`` like every other email.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CODE_PARAMETER = "{####}"
USERNAME_PARAMETER = "{username}"
LINK_PARAMETER = "{##Click Here##}"
# Cognito's own sender, when the pool has no SES configuration.
COGNITO_DEFAULT_SENDER = "no-reply@verificationemail.com"
# Cognito's default texts (English), used when no custom message is returned.
DEFAULT_MESSAGES = {
    "CustomMessage_SignUp": ("Your verification code", "Your verification code is {####}. "),
    "CustomMessage_ResendCode": ("Your verification code", "Your verification code is {####}. "),
    "CustomMessage_AdminCreateUser": (
        "Your temporary password",
        "Your username is {username} and temporary password is {####}. ",
    ),
}


@dataclass(frozen=True)
class PoolMessage:
    subject: str
    body: str

    def filled(self, code: str, username: str) -> PoolMessage:
        def fill(text: str) -> str:
            return text.replace(CODE_PARAMETER, code).replace(USERNAME_PARAMETER, username)

        return PoolMessage(fill(self.subject), fill(self.body))


def message_from(trigger_source: str, answer: dict[str, Any] | None) -> PoolMessage:
    """The trigger's message (``answer`` is the returned event), else Cognito's default."""
    response = (answer or {}).get("response") or {}
    default_subject, default_body = DEFAULT_MESSAGES[trigger_source]
    return PoolMessage(
        subject=response.get("emailSubject") or default_subject,
        body=response.get("emailMessage") or default_body,
    )


def send(ses: Any, email_configuration: dict[str, Any] | None, to: str, message: PoolMessage) -> None:
    """Send ``message`` as the pool would with its ``EmailConfiguration``."""
    configuration = email_configuration or {}
    request: dict[str, Any] = {
        "FromEmailAddress": configuration.get("From") or COGNITO_DEFAULT_SENDER,
        "Destination": {"ToAddresses": [to]},
        "Content": {
            "Simple": {
                "Subject": {"Data": message.subject, "Charset": "UTF-8"},
                "Body": {"Html": {"Data": message.body, "Charset": "UTF-8"}},
            }
        },
    }
    if configuration.get("ConfigurationSet"):
        request["ConfigurationSetName"] = configuration["ConfigurationSet"]
    ses.send_email(**request)
