"""The notifications function as Lambda runs it: its environment, a seeded table, a
context carrying its ARN, and what it sent."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from booking import bootstrap
from booking.adapters import dynamodb_items as items
from booking.adapters.dynamodb_table import DynamoTable
from booking.adapters.dynamodb_users import DynamoUserRepository
from booking.handlers import notifications
from booking.settings import NotificationsSettings
from botocore.config import Config

from tests.aws import REGION, TABLE_NAME, create_table
from tests.fakes import FixedClock
from tests.lambdas.notifications.mail import sent_messages
from tests.notification_support import NOW, make_patient, make_professional, make_tenant, make_treatment

TABLE = TABLE_NAME
SENDER = "citas@clinica.example"
CONFIGURATION_SET = "booking-dev-emails"
SCHEDULE_GROUP = "booking-dev-reminders"
WEB_URL = "https://app.clinica.example"
SCHEDULER_ROLE_ARN = "arn:aws:iam::123456789012:role/booking-dev-scheduler"
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:booking-dev-notifications"
DEAD_LETTER_QUEUE = "booking-dev-notifications-dlq"


@dataclass(frozen=True)
class Aws:
    sesv2: Any
    scheduler: Any


@dataclass
class LambdaContext:
    function_name: str = "booking-dev-notifications"
    function_version: str = "$LATEST"
    invoked_function_arn: str = FUNCTION_ARN
    memory_limit_in_mb: int = 512
    aws_request_id: str = "request-1"
    log_group_name: str = "/aws/lambda/booking-dev-notifications"
    log_stream_name: str = "stream"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def deployed_function(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The function with the environment the stack gives it, over a seeded table (and
    its dead-letter queue)."""
    queue_url = boto3.client("sqs", region_name=REGION).create_queue(QueueName=DEAD_LETTER_QUEUE)["QueueUrl"]
    environment = NotificationsSettings(
        stage="dev",
        table_name=TABLE,
        powertools_service_name="notifications",
        sender_email=SENDER,
        ses_configuration_set=CONFIGURATION_SET,
        schedule_group_name=SCHEDULE_GROUP,
        scheduler_role_arn=SCHEDULER_ROLE_ARN,
        web_url=WEB_URL,
        dead_letter_queue_url=queue_url,
    ).to_environment()
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    create_table(dynamodb, TABLE)
    for entity in (
        items.tenant_item(make_tenant()),
        items.professional_item(make_professional()),
        items.treatment_item(make_treatment()),
    ):
        dynamodb.put_item(TableName=TABLE, Item=entity)
    # With the index entries that find the user by email (a bounce does).
    DynamoUserRepository(DynamoTable(TABLE, client=dynamodb)).put_user(make_patient())
    # Built from the environment as at a cold start; only the clock is pinned.
    bootstrap.reset()
    with bootstrap.overridden(clock=FixedClock(NOW)):
        yield dynamodb
    bootstrap.reset()


def invoke(event: dict[str, Any]) -> Any:
    return notifications.handler(event, LambdaContext())


def schedules(aws: Aws) -> list[str]:
    listed = aws.scheduler.list_schedules(GroupName=SCHEDULE_GROUP)["Schedules"]
    return [schedule["Name"] for schedule in listed]


def email_kinds() -> list[str]:
    return [mime["X-Booking-Email-Kind"] for _, mime in sent_messages()]


def dead_letters() -> list[dict[str, Any]]:
    """The messages waiting in the function's dead-letter queue (read, not removed)."""
    sqs = boto3.client("sqs", region_name=REGION)
    url = sqs.get_queue_url(QueueName=DEAD_LETTER_QUEUE)["QueueUrl"]
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0)
    return [json.loads(message["Body"]) for message in messages.get("Messages", [])]


def streams_client() -> Any:
    # botocore (1.44 here) sends calls that carry a stream ARN to the account-based endpoint
    # <account>.streams-ddb.<region>.amazonaws.com, which mock_aws does not route.
    config = Config(account_id_endpoint_mode="disabled")
    return boto3.client("dynamodbstreams", region_name=REGION, config=config)
