"""The soak's email books: what a create answered 5xx may explain, and what it may not."""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks._soak_mail import EmailCheck


def _check(received: list[tuple[str, str, int]], unanswered_creates: int) -> EmailCheck:
    expected = Counter([("b-1", "confirmation", 1)])
    return EmailCheck(
        expected=expected,
        received=Counter(received),
        waited_seconds=0.0,
        tracked=frozenset({"b-1"}),
        unanswered_creates=unanswered_creates,
    )


@pytest.mark.parametrize(
    ("untracked", "unanswered_creates", "unexplained"),
    [
        ([], 0, []),
        # A create answered 5xx that happened: its confirmation and the staff's copy.
        ([("x-1", "confirmation", 1), ("x-1", "confirmation:professional", 1)], 1, []),
        # The same with no unanswered create: nothing explains it.
        ([("x-1", "confirmation", 1)], 0, ["x-1 confirmation v1"]),
        # Two unknown bookings, one unanswered create.
        (
            [("x-1", "confirmation", 1), ("x-2", "confirmation", 1)],
            1,
            ["x-1 confirmation v1", "x-2 confirmation v1"],
        ),
        # No client knows the booking, so nobody moved or cancelled it.
        ([("x-1", "confirmation", 1), ("x-1", "reschedule", 2)], 1, ["x-1 reschedule v2"]),
    ],
)
def test_unanswered_creates_explain_one_first_confirmation_each(untracked, unanswered_creates, unexplained):
    check = _check([("b-1", "confirmation", 1), *untracked], unanswered_creates)

    assert check.unexplained == unexplained
    assert check.missing == []
