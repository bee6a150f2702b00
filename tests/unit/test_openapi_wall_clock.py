"""Times of day are documented as the API writes them: wall-clock, without an offset."""

import re

import pytest
from booking.domain.models import TimeRange
from booking.openapi import build_document
from pydantic import ValidationError


def test_a_time_range_is_documented_with_a_pattern_its_own_serialisation_matches():
    schema = build_document()["components"]["schemas"]["TimeRange"]["properties"]
    served = TimeRange.model_validate({"start": "09:00", "end": "17:30"}).model_dump(mode="json")

    for name in ("start", "end"):
        assert "format" not in schema[name]  # JSON Schema's "time" demands an offset
        assert re.fullmatch(schema[name]["pattern"], served[name]), served[name]


def test_no_schema_in_the_document_keeps_the_offset_requiring_time_format():
    assert '"format": "time"' not in str(build_document()).replace("'", '"')


def test_a_time_with_an_offset_is_refused_as_invalid_not_compared():
    with pytest.raises(ValidationError, match="no offset"):
        TimeRange.model_validate({"start": "09:00", "end": "17:00+05:00"})


def test_statuses_api_gateway_answers_itself_document_its_message_body():
    document = build_document()
    responses = document["components"]["responses"]
    for name in ("Unauthorized", "TooManyRequests"):
        choices = responses[name]["content"]["application/json"]["schema"]["oneOf"]
        assert {"$ref": "#/components/schemas/GatewayMessage"} in choices
    assert "oneOf" not in responses["Conflict"]["content"]["application/json"]["schema"]
    assert document["components"]["schemas"]["GatewayMessage"]["required"] == ["message"]
