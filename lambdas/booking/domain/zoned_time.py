"""Instants and the tenant's wall clock: arithmetic in a time zone, exact across DST.

All instants are handled in UTC: Python compares and subtracts two datetimes sharing
one ``ZoneInfo`` by wall time, which is wrong across DST. Local wall time and instants
are related through the zone's UTC-offset *segments* (maximal spans of constant
offset), so days with a DST change are exact: a wall time that does not exist
contributes no instant, a repeated wall time contributes both.

A start is an *instant*: the API receives ISO-8601 values with an offset. A datetime
whose offset depends on ``fold`` (a zone-aware wall time that DST skips or repeats)
names no single instant (Python never finds it equal to any instant in another zone),
so it is refused rather than silently resolved to one of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from booking.domain.errors import InvalidValue
from booking.domain.intervals import Interval, merge

# Offsets are sampled this often to find DST transitions; zones change offset at most
# a few times a year, never twice within six hours.
_SAMPLE_STEP = timedelta(hours=6)


def utc(instant: datetime) -> datetime:
    """Arithmetic and comparison on aware datetimes that share a ``ZoneInfo`` use wall time
    (ignoring the offset and ``fold``), which is wrong across DST: do them in UTC."""
    return instant.astimezone(UTC)


@dataclass(frozen=True)
class OffsetSegment:
    """A span of instants during which the zone's UTC offset is constant."""

    span: Interval
    offset: timedelta


def _offset(zone: ZoneInfo, instant: datetime) -> timedelta:
    offset = instant.astimezone(zone).utcoffset()
    assert offset is not None  # a ZoneInfo always answers for an aware instant
    return offset


def local_instant(instant: datetime, zone: ZoneInfo) -> datetime:
    """``instant`` shown in ``zone`` with a fixed UTC offset (e.g. ``10:00+01:00``).

    A fixed offset, not the ``ZoneInfo``: two datetimes sharing one ``ZoneInfo`` are
    subtracted and compared by wall time, so 02:00 CEST and 02:00 CET would be equal."""
    offset = _offset(zone, instant)
    return instant.astimezone(timezone(offset))


def exact_instant(value: datetime) -> datetime:
    """``value`` in UTC, refusing a wall time that names no single instant.

    Only zone-aware values whose zone has DST can be affected: a time inside a
    spring-forward gap does not exist, one inside the repeated fall-back hour exists
    twice. Fixed-offset values (everything the API parses) always pass."""
    offset, other_fold_offset = value.utcoffset(), value.replace(fold=1 - value.fold).utcoffset()
    if offset is None:
        raise InvalidValue("a time needs a UTC offset", code="NAIVE_DATETIME")
    if offset != other_fold_offset:
        instant = value.astimezone(UTC)
        if instant.astimezone(value.tzinfo).replace(tzinfo=None) != value.replace(tzinfo=None, fold=0):
            raise InvalidValue(
                f"{value.replace(tzinfo=None).isoformat()} does not exist in {value.tzinfo} "
                "(the clocks skip it); send the instant with its UTC offset",
                code="NONEXISTENT_LOCAL_TIME",
            )
        raise InvalidValue(
            f"{value.replace(tzinfo=None).isoformat()} happens twice in {value.tzinfo} "
            "(the clocks go back); send the instant with its UTC offset",
            code="AMBIGUOUS_LOCAL_TIME",
        )
    return value.astimezone(UTC)


def _transition_after(zone: ZoneInfo, low: datetime, high: datetime) -> datetime:
    """The first instant in ``(low, high]`` whose offset differs from ``low``'s (binary search
    to the second; transitions happen on whole seconds)."""
    before = _offset(zone, low)
    low_s, high_s = int(low.timestamp()), int(high.timestamp())
    while high_s - low_s > 1:
        middle = (low_s + high_s) // 2
        if _offset(zone, datetime.fromtimestamp(middle, UTC)) == before:
            low_s = middle
        else:
            high_s = middle
    return datetime.fromtimestamp(high_s, UTC)


def offset_segments(zone: ZoneInfo, span: Interval) -> list[OffsetSegment]:
    """The constant-offset segments covering ``span`` (widened by a day on each side, so
    that every wall time of every day touching ``span`` is covered)."""
    start = span.start.astimezone(UTC).replace(microsecond=0) - timedelta(days=1)
    end = span.end.astimezone(UTC) + timedelta(days=1)
    segments: list[OffsetSegment] = []
    segment_start, current = start, _offset(zone, start)
    probe = start
    while probe < end:
        following = min(probe + _SAMPLE_STEP, end)
        if _offset(zone, following) != current:
            change = _transition_after(zone, probe, following)
            segments.append(OffsetSegment(Interval(segment_start, change), current))
            segment_start, current = change, _offset(zone, change)
        probe = following
    segments.append(OffsetSegment(Interval(segment_start, end), current))
    return segments


def wall_range_instants(
    day: date, start: time | timedelta, end: time | timedelta, segments: Sequence[OffsetSegment]
) -> list[Interval]:
    """The instants whose local wall time on ``day`` is in ``[start, end)``.

    Exact across DST: in each constant-offset segment the wall range maps to one UTC
    range, clipped to the segment. A range inside a spring-forward gap yields nothing;
    one inside a fall-back overlap yields both occurrences.
    """
    midnight = datetime.combine(day, time(0))
    wall_start = midnight + (_since_midnight(start) if isinstance(start, time) else start)
    wall_end = midnight + (_since_midnight(end) if isinstance(end, time) else end)
    pieces = []
    for segment in segments:
        candidate = Interval(
            (wall_start - segment.offset).replace(tzinfo=UTC), (wall_end - segment.offset).replace(tzinfo=UTC)
        )
        if candidate.overlaps(segment.span):
            pieces.append(
                Interval(max(candidate.start, segment.span.start), min(candidate.end, segment.span.end))
            )
    return merge(pieces)


def _since_midnight(value: time) -> timedelta:
    return timedelta(hours=value.hour, minutes=value.minute, seconds=value.second)


def day_instants(day: date, segments: Sequence[OffsetSegment]) -> list[Interval]:
    return wall_range_instants(day, timedelta(0), timedelta(days=1), segments)


def local_days(zone: ZoneInfo, window: Interval) -> list[date]:
    """The tenant-local dates that ``window`` touches, in order."""
    first = window.start.astimezone(zone).date()
    last = (window.end - timedelta(microseconds=1)).astimezone(zone).date()
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
