"""Sorted interval merge, subtract and intersect, checked against a set-of-minutes model."""

import itertools
from datetime import UTC, datetime, timedelta

from booking.domain.intervals import Interval, intersect, merge, subtract
from hypothesis import given
from hypothesis import strategies as st

BASE = datetime(2026, 1, 1, tzinfo=UTC)


def iv(start: int, end: int) -> Interval:
    return Interval(BASE + timedelta(minutes=start), BASE + timedelta(minutes=end))


def minutes(intervals: list[Interval]) -> set[int]:
    covered: set[int] = set()
    for interval in intervals:
        first = int((interval.start - BASE).total_seconds() // 60)
        last = int((interval.end - BASE).total_seconds() // 60)
        covered.update(range(first, last))
    return covered


intervals_strategy = st.lists(
    st.tuples(st.integers(0, 300), st.integers(1, 60)).map(lambda pair: iv(pair[0], pair[0] + pair[1])),
    max_size=12,
)


def test_merge_coalesces_overlapping_and_touching_intervals_in_order():
    assert merge([iv(30, 40), iv(0, 10), iv(10, 20), iv(35, 50), iv(60, 60)]) == [iv(0, 20), iv(30, 50)]


def test_subtract_cuts_holes_and_keeps_the_rest():
    assert subtract([iv(0, 100)], [iv(10, 20), iv(15, 30), iv(90, 120)]) == [iv(0, 10), iv(30, 90)]


def test_subtract_with_a_hole_spanning_several_intervals_removes_them_all():
    assert subtract([iv(0, 10), iv(20, 30), iv(40, 50)], [iv(5, 45)]) == [iv(0, 5), iv(45, 50)]


@given(intervals_strategy)
def test_merge_covers_the_same_minutes_with_disjoint_sorted_intervals(intervals):
    merged = merge(intervals)
    assert minutes(merged) == minutes(intervals)
    assert all(left.end < right.start for left, right in itertools.pairwise(merged))


@given(intervals_strategy, intervals_strategy)
def test_subtract_covers_exactly_the_minutes_of_base_not_in_removed(base, removed):
    result = subtract(base, removed)
    assert minutes(result) == minutes(base) - minutes(removed)
    assert result == merge(result)


@given(intervals_strategy, intervals_strategy)
def test_intersect_covers_exactly_the_shared_minutes(left, right):
    assert minutes(intersect(left, right)) == minutes(left) & minutes(right)
