"""moto for the notifications adapters and handler: a region, fake credentials, and
the SES identity, configuration set and schedule group the stack would create."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from tests.aws import REGION, fake_credentials
from tests.lambdas.notifications.runtime import (
    CONFIGURATION_SET,
    SCHEDULE_GROUP,
    SENDER,
    Aws,
    deployed_function,
)


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Aws]:
    fake_credentials(monkeypatch)
    with mock_aws():
        sesv2 = boto3.client("sesv2", region_name=REGION)
        sesv2.create_email_identity(EmailIdentity=SENDER)
        sesv2.create_configuration_set(ConfigurationSetName=CONFIGURATION_SET)
        scheduler = boto3.client("scheduler", region_name=REGION)
        scheduler.create_schedule_group(Name=SCHEDULE_GROUP)
        yield Aws(sesv2=sesv2, scheduler=scheduler)


@pytest.fixture
def function(aws: Aws, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The notifications function with its stack environment over a seeded table; yields
    the DynamoDB client."""
    yield from deployed_function(monkeypatch)
