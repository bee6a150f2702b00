"""The managed login's pages, in Spanish and English: the sign-in form, the new password
an invited user chooses on their first sign-in, and the error page.

Accessible as the app must be: the page's language, one ``h1``, labelled inputs with
their autocomplete purpose, the error announced (``role="alert"``) and tied to the
inputs it is about, a visible focus, and the language switch as plain links.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

LANGUAGES = ("es", "en")
DEFAULT_LANGUAGE = "en"  # Cognito's managed login without a lang parameter

TEXTS = {
    "es": {
        "title": "Iniciar sesión",
        "heading": "Inicia sesión en tu clínica",
        "email": "Correo electrónico",
        "password": "Contraseña",
        "submit": "Iniciar sesión",
        "wrong": "Correo o contraseña incorrectos.",
        "expired": "El inicio de sesión caducó. Vuelve a iniciar sesión.",
        "new_title": "Elige una contraseña",
        "new_heading": "Elige una nueva contraseña",
        "new_intro": "Tu contraseña es temporal. Elige una nueva para continuar.",
        "new_password": "Nueva contraseña",
        "confirm_password": "Repite la nueva contraseña",
        "new_submit": "Guardar y continuar",
        "mismatch": "Las dos contraseñas no coinciden.",
        "policy": "La contraseña no cumple la política de la clínica:",
        "switch": "English",
        "error_title": "No se pudo continuar",
        "note": "Inicio de sesión emulado por el devstack (Cognito local).",
    },
    "en": {
        "title": "Sign in",
        "heading": "Sign in to your clinic",
        "email": "Email",
        "password": "Password",
        "submit": "Sign in",
        "wrong": "Incorrect email or password.",
        "expired": "Your sign-in has expired. Please sign in again.",
        "new_title": "Choose a password",
        "new_heading": "Choose a new password",
        "new_intro": "Your password is temporary. Choose a new one to continue.",
        "new_password": "New password",
        "confirm_password": "Repeat the new password",
        "new_submit": "Save and continue",
        "mismatch": "The two passwords do not match.",
        "policy": "The password does not meet the clinic's policy:",
        "switch": "Español",
        "error_title": "Something went wrong",
        "note": "Sign-in emulated by the devstack (local Cognito).",
    },
}

STYLE = """
body{font-family:system-ui,sans-serif;background:#f4f6f8;color:#1f2933;margin:0}
main{max-width:24rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:8px;
box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{font-size:1.4rem;margin:0 0 1.5rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input{width:100%;box-sizing:border-box;padding:.6rem;font-size:1rem;border:1px solid #52606d;
border-radius:4px}
button{margin-top:1.5rem;width:100%;padding:.7rem;font-size:1rem;background:#0b5d8f;color:#fff;border:0;
border-radius:4px;cursor:pointer}
:focus-visible{outline:3px solid #f0b429;outline-offset:2px}
[role=alert]{background:#fde8e8;color:#8a1c1c;padding:.75rem;border-radius:4px}
nav{margin-top:1.5rem;text-align:center}a{color:#0b5d8f}
.note{font-size:.8rem;color:#52606d;margin-top:1.5rem}
"""


def language_of(requested: str | None, accept_language: str | None) -> str:
    """The ``lang`` parameter, else the browser's first supported language, else English."""
    if requested in LANGUAGES:
        return str(requested)
    for part in (accept_language or "").split(","):
        language = part.split(";")[0].strip().split("-")[0].lower()
        if language in LANGUAGES:
            return language
    return DEFAULT_LANGUAGE


def _document(language: str, title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def _alert(message: str) -> str:
    return f'<p id="sign-in-error" role="alert">{escape(message)}</p>'


def sign_in_page(
    language: str, query: dict[str, str], csrf: str, *, email: str = "", problem: str | None = None
) -> str:
    """``problem``: ``wrong`` (the email or password, marked invalid) or ``expired``."""
    text = TEXTS[language]
    action = escape(f"/login?{urlencode(query)}")
    other = "en" if language == "es" else "es"
    switch = escape(f"/login?{urlencode({**query, 'lang': other})}")
    wrong = problem == "wrong"
    described = ' aria-describedby="sign-in-error" aria-invalid="true"' if wrong else ""
    error = _alert(text[problem]) if problem else ""
    body = (
        f"<h1>{escape(text['heading'])}</h1>{error}"
        f'<form method="post" action="{action}" novalidate>'
        f'<input type="hidden" name="_csrf" value="{escape(csrf)}">'
        f'<label for="signInFormUsername">{escape(text["email"])}</label>'
        f'<input id="signInFormUsername" name="username" type="email" autocomplete="username" '
        f'value="{escape(email)}" required autofocus{described}>'
        f'<label for="signInFormPassword">{escape(text["password"])}</label>'
        f'<input id="signInFormPassword" name="password" type="password" '
        f'autocomplete="current-password" required{described}>'
        f'<button type="submit" name="signInSubmitButton">{escape(text["submit"])}</button>'
        f'</form><nav><a href="{switch}" lang="{other}" hreflang="{other}">{escape(text["switch"])}</a></nav>'
        f'<p class="note">{escape(text["note"])}</p>'
    )
    return _document(language, text["title"], body)


def new_password_page(
    language: str,
    query: dict[str, str],
    csrf: str,
    email: str,
    session: str,
    problem: str | None = None,
    detail: str = "",
) -> str:
    """The step Cognito's ``NEW_PASSWORD_REQUIRED`` asks for. ``problem``: ``mismatch``
    or ``policy`` (with the pool's ``detail``). No language switch here: following a link
    would leave the step, and the pool's session with it."""
    text = TEXTS[language]
    action = escape(f"/login?{urlencode(query)}")
    described = ' aria-describedby="sign-in-error" aria-invalid="true"' if problem else ""
    error = _alert(f"{text[problem]} {detail}".strip()) if problem else ""
    body = (
        f"<h1>{escape(text['new_heading'])}</h1>{error}<p>{escape(text['new_intro'])}</p>"
        f'<form method="post" action="{action}" novalidate>'
        f'<input type="hidden" name="_csrf" value="{escape(csrf)}">'
        '<input type="hidden" name="step" value="new_password">'
        f'<input type="hidden" name="session" value="{escape(session)}">'
        # Password managers store the new password under this username.
        f'<input type="hidden" name="username" autocomplete="username" value="{escape(email)}">'
        f'<label for="newPassword">{escape(text["new_password"])}</label>'
        f'<input id="newPassword" name="new_password" type="password" autocomplete="new-password" '
        f"required autofocus{described}>"
        f'<label for="confirmPassword">{escape(text["confirm_password"])}</label>'
        f'<input id="confirmPassword" name="confirm_password" type="password" '
        f'autocomplete="new-password" required{described}>'
        f'<button type="submit" name="newPasswordSubmitButton">{escape(text["new_submit"])}</button>'
        f'</form><p class="note">{escape(text["note"])}</p>'
    )
    return _document(language, text["new_title"], body)


def error_page(language: str, message: str) -> str:
    text = TEXTS[language]
    body = f'<h1>{escape(text["error_title"])}</h1><p role="alert">{escape(message)}</p>'
    return _document(language, text["error_title"], body)
