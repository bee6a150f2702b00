"""Working hours and breaks cross the wire as local "HH:MM" strings, never as RFC 3339
``time`` values (which would need a UTC offset a weekly wall-clock time has not)."""

import json
import re
from datetime import time

import pytest
from booking.domain.models import WALL_TIME_PATTERN, Professional, TimeRange, WeeklySchedule
from booking.openapi import build_document
from pydantic import ValidationError

from tests.factories import PRO, TENANT, hours


def test_a_time_range_is_answered_as_hours_and_minutes():
    monday = WeeklySchedule(monday=hours(("09:00", "13:30")))
    professional = Professional(id=PRO, tenant_id=TENANT, name="Dr. Ana", working_hours=monday)
    body = professional.model_dump(by_alias=True, mode="json")
    assert body["workingHours"]["monday"] == [{"start": "09:00", "end": "13:30"}]
    assert all(re.fullmatch(WALL_TIME_PATTERN, value) for value in body["workingHours"]["monday"][0].values())


def test_the_domain_keeps_datetime_time_values():
    parsed = TimeRange.model_validate_json('{"start": "09:00", "end": "13:00"}')
    assert (parsed.start, parsed.end) == (time(9), time(13))
    assert TimeRange(start=time(9), end=time(13)).model_dump() == {"start": time(9), "end": time(13)}


def test_hours_minutes_and_seconds_are_still_read_so_items_stored_before_stay_readable():
    assert TimeRange.model_validate_json('{"start": "09:00:00", "end": "13:00:00"}').end == time(13)


@pytest.mark.parametrize("value", ["9:00", "24:00", "09:00+01:00", "09:00Z", "0900", 32400, None])
def test_anything_but_a_wall_clock_time_is_refused(value):
    with pytest.raises(ValidationError):
        TimeRange.model_validate_json(json.dumps({"start": value, "end": "13:00"}))


def test_the_document_describes_wall_times_by_pattern_in_requests_and_responses():
    document = build_document()
    time_range = document["components"]["schemas"]["TimeRange"]
    for name in ("start", "end"):
        field = time_range["properties"][name]
        assert field["type"] == "string"
        assert field["pattern"] == WALL_TIME_PATTERN
        assert "format" not in field
    formats = set(re.findall(r'"format": "([a-z-]+)"', json.dumps(document)))
    assert formats <= {"date", "date-time"}, "only formats our answers satisfy"
