"""Finding a tenant's users by the start of a name, an email or a phone number.

The users adapter indexes each user once per field under the field's *normalised*
value, and a search is a prefix of that value: both sides use ``normalised`` from
here, so what is stored and what is asked can never be normalised differently.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum


class UserSearchField(StrEnum):
    NAME = "name"
    EMAIL = "email"
    PHONE = "phone"


_NOT_DIGITS = re.compile(r"\D")
_SPACES = re.compile(r"\s+")
_PHONE_LIKE = re.compile(r"^\+?[\d\s().-]+$")


def normalised(field: UserSearchField, value: str) -> str:
    """The form a value is indexed and searched under: a phone's digits only; a name or
    an email case-folded, without accents, with single spaces ("Ángela  Ruiz" and
    "angela ruiz" are the same)."""
    if field is UserSearchField.PHONE:
        return _NOT_DIGITS.sub("", value)
    decomposed = unicodedata.normalize("NFKD", value)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SPACES.sub(" ", plain.casefold()).strip()


def inferred_field(text: str) -> UserSearchField:
    """The field a search box's text most likely means: an ``@`` is an email, digits
    (with ``+``, spaces, dots, dashes or brackets) are a phone, anything else a name."""
    if "@" in text:
        return UserSearchField.EMAIL
    if _PHONE_LIKE.fullmatch(text.strip()) and _NOT_DIGITS.sub("", text):
        return UserSearchField.PHONE
    return UserSearchField.NAME
