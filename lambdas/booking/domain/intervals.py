"""Sorted half-open intervals ``[start, end)`` and the two operations availability needs.

Availability is computed by merging and subtracting sorted interval lists (linear in
their lengths), never by testing each candidate slot against each booking.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple


class Interval(NamedTuple):
    """A half-open range of instants ``[start, end)``; both ends are timezone-aware."""

    start: datetime
    end: datetime

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Interval) -> bool:
        return self.start <= other.start and other.end <= self.end


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sort and coalesce overlapping or touching intervals; empty ones are dropped."""
    merged: list[Interval] = []
    for current in sorted(interval for interval in intervals if interval.end > interval.start):
        if merged and current.start <= merged[-1].end:
            last = merged[-1]
            if current.end > last.end:
                merged[-1] = Interval(last.start, current.end)
        else:
            merged.append(current)
    return merged


def subtract(base: Iterable[Interval], removed: Iterable[Interval]) -> list[Interval]:
    """The parts of ``base`` not covered by ``removed`` (both merged first), in one sweep."""
    kept: list[Interval] = []
    holes = merge(removed)
    hole_index = 0
    for interval in merge(base):
        cursor = interval.start
        # Holes that end before this interval cannot touch any later interval either.
        while hole_index < len(holes) and holes[hole_index].end <= cursor:
            hole_index += 1
        index = hole_index
        while index < len(holes) and holes[index].start < interval.end:
            hole = holes[index]
            if hole.start > cursor:
                kept.append(Interval(cursor, hole.start))
            cursor = max(cursor, hole.end)
            if hole.end > interval.end:
                break
            index += 1
        if cursor < interval.end:
            kept.append(Interval(cursor, interval.end))
    return kept


def intersect(left: Iterable[Interval], right: Iterable[Interval]) -> list[Interval]:
    """The instants covered by both lists."""
    result: list[Interval] = []
    first, second = merge(left), merge(right)
    i = j = 0
    while i < len(first) and j < len(second):
        start = max(first[i].start, second[j].start)
        end = min(first[i].end, second[j].end)
        if start < end:
            result.append(Interval(start, end))
        if first[i].end < second[j].end:
            i += 1
        else:
            j += 1
    return result
