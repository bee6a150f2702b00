"""What a search box's text means, and the form both the index and the search use."""

import pytest
from booking.domain.user_search import UserSearchField, inferred_field, normalised


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (UserSearchField.NAME, "  Ángela   RUIZ ", "angela ruiz"),
        (UserSearchField.NAME, "Muñoz", "munoz"),
        (UserSearchField.EMAIL, "Ana.Paz@Example.COM", "ana.paz@example.com"),
        (UserSearchField.PHONE, "+593 (99) 123-4567", "593991234567"),
    ],
)
def test_values_are_normalised_alike_when_indexed_and_searched(field, value, expected):
    assert normalised(field, value) == expected


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("ana@", UserSearchField.EMAIL),
        ("+593 99", UserSearchField.PHONE),
        ("099-123", UserSearchField.PHONE),
        ("Ana", UserSearchField.NAME),
        ("+", UserSearchField.NAME),
        ("Ana 2", UserSearchField.NAME),
    ],
)
def test_the_field_is_inferred_from_the_text(text, field):
    assert inferred_field(text) is field
