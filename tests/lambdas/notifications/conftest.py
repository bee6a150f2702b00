"""moto for the notifications adapters and handler: a region, fake credentials, and
the SES identity, configuration set and schedule group the stack would create."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto import mock_aws

REGION = "us-east-1"
SENDER = "citas@clinica.example"
CONFIGURATION_SET = "booking-dev-emails"
SCHEDULE_GROUP = "booking-dev-reminders"
SCHEDULER_ROLE_ARN = "arn:aws:iam::123456789012:role/booking-dev-scheduler"
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:booking-dev-notifications"


@dataclass(frozen=True)
class Aws:
    sesv2: Any
    scheduler: Any


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Aws]:
    for name, value in {
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        sesv2 = boto3.client("sesv2", region_name=REGION)
        sesv2.create_email_identity(EmailIdentity=SENDER)
        sesv2.create_configuration_set(ConfigurationSetName=CONFIGURATION_SET)
        scheduler = boto3.client("scheduler", region_name=REGION)
        scheduler.create_schedule_group(Name=SCHEDULE_GROUP)
        yield Aws(sesv2=sesv2, scheduler=scheduler)
