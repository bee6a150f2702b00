"""SES guarded, through the function on moto: a bounce from the mail events topic marks
the user (as the users API shows it) and later bookings mail them no more; the hourly
quota read publishes the share used."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from booking.adapters.dynamodb_table import DynamoTable
from booking.adapters.dynamodb_users import DynamoUserRepository
from booking.contract import SEND_QUOTA_EVENT_KIND, SEND_QUOTA_METRIC
from booking.domain.models import EmailStatus

from tests.aws import REGION
from tests.lambdas.notifications.mail import sent_messages
from tests.lambdas.notifications.runtime import TABLE, Aws, invoke
from tests.lambdas.notifications.streams import booking_inserted
from tests.notification_support import PATIENT_ID, TENANT_ID, make_booking

TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:booking-dev-mail-events"


def sns_event(*messages: dict[str, Any]) -> dict[str, Any]:
    """Lambda's event for an SNS subscription: one record per message."""
    return {
        "Records": [
            {
                "EventSource": "aws:sns",
                "EventVersion": "1.0",
                "EventSubscriptionArn": f"{TOPIC_ARN}:0b3c5d2e",
                "Sns": {
                    "Type": "Notification",
                    "MessageId": f"sns-{index}",
                    "TopicArn": TOPIC_ARN,
                    "Subject": None,
                    "Message": json.dumps(message),
                    "Timestamp": "2026-11-20T12:00:02.000Z",
                    "SignatureVersion": "1",
                    "Signature": "c2lnbmF0dXJl",
                    "SigningCertUrl": "https://sns.us-east-1.amazonaws.com/cert.pem",
                    "UnsubscribeUrl": "https://sns.us-east-1.amazonaws.com/unsubscribe",
                    "MessageAttributes": {},
                },
            }
            for index, message in enumerate(messages)
        ]
    }


def bounce(address: str) -> dict[str, Any]:
    return {
        "eventType": "Bounce",
        "bounce": {
            "bounceType": "Permanent",
            "bounceSubType": "NoEmail",
            "bouncedRecipients": [{"emailAddress": address, "action": "failed", "status": "5.1.1"}],
            "timestamp": "2026-11-20T12:00:01.000Z",
            "feedbackId": "f-1",
        },
        "mail": {
            "messageId": "m-1",
            "source": "citas@clinica.example",
            "destination": [address],
            "tags": {"ses:configuration-set": ["booking-dev-emails"], "tenant-id": [TENANT_ID]},
        },
    }


def test_a_bounce_marks_the_user_and_no_more_mail_is_tried_to_them(aws: Aws, function: Any) -> None:
    assert invoke(sns_event(bounce("ana@example.com"))) == {"kind": "mail-events", "marked": 1}
    user = DynamoUserRepository(DynamoTable(TABLE, client=function)).get_user(TENANT_ID, PATIENT_ID)
    assert user is not None
    assert user.email_status is EmailStatus.BOUNCING
    assert user.model_dump(by_alias=True, mode="json")["emailStatus"] == "bouncing"  # the users API's body
    assert invoke({"Records": [booking_inserted(1, make_booking())]}) == {"batchItemFailures": []}
    assert sent_messages() == []
    assert invoke(sns_event(bounce("ana@example.com"))) == {"kind": "mail-events", "marked": 0}


def test_the_quota_read_publishes_the_share_of_the_daily_quota_used(
    aws: Aws, function: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    invoke({"Records": [booking_inserted(1, make_booking())]})
    assert len(sent_messages()) == 1
    quota = boto3.client("ses", region_name=REGION).get_send_quota()  # what SES says
    used = round(100 * quota["SentLast24Hours"] / quota["Max24HourSend"], 2)
    assert used > 0
    capsys.readouterr()
    answer = invoke({"kind": SEND_QUOTA_EVENT_KIND})
    assert answer == {"kind": SEND_QUOTA_EVENT_KIND, "usedPercent": used}
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    [metrics] = [line for line in lines if "_aws" in line]
    assert metrics[SEND_QUOTA_METRIC] == [used]
    [declared] = metrics["_aws"]["CloudWatchMetrics"]
    assert {"Name": SEND_QUOTA_METRIC, "Unit": "Percent"} in declared["Metrics"]
    assert declared["Dimensions"] == [["service"]]
