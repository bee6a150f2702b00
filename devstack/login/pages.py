"""The managed login's pages, in Spanish and English: the sign-in form and the error page.

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


def sign_in_page(
    language: str, query: dict[str, str], csrf: str, *, email: str = "", wrong: bool = False
) -> str:
    text = TEXTS[language]
    action = escape(f"/login?{urlencode(query)}")
    other = "en" if language == "es" else "es"
    switch = escape(f"/login?{urlencode({**query, 'lang': other})}")
    described = ' aria-describedby="sign-in-error" aria-invalid="true"' if wrong else ""
    error = f'<p id="sign-in-error" role="alert">{escape(text["wrong"])}</p>' if wrong else ""
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


def error_page(language: str, message: str) -> str:
    text = TEXTS[language]
    body = f'<h1>{escape(text["error_title"])}</h1><p role="alert">{escape(message)}</p>'
    return _document(language, text["error_title"], body)
