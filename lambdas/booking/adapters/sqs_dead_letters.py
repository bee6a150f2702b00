"""The ``DeadLetters`` port on the function's own dead-letter queue (SQS).

The queue is where Lambda already puts the stream batches and reminder invocations it
gave up on; a delivery refused for good joins them as a JSON message saying what, to
whom and why, so one alarm (the queue is not empty) and one place to look cover every
notification that did not go out. The function holds ``sqs:SendMessage`` on it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import boto3

from booking.domain.deliveries import Delivery

if TYPE_CHECKING:
    from mypy_boto3_sqs.client import SQSClient
else:
    SQSClient = Any

MESSAGE_KIND = "undeliverable-notification"


def _default_client() -> SQSClient:
    return boto3.client("sqs")


class SqsDeadLetters:
    def __init__(
        self,
        queue_url: str,
        client: SQSClient | None = None,
        client_factory: Callable[[], SQSClient] = _default_client,
    ) -> None:
        self.queue_url = queue_url
        self._client = client
        self._client_factory = client_factory
        self._lock = threading.Lock()

    @property
    def client(self) -> SQSClient:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._client_factory()
        return self._client

    def put(self, delivery: Delivery, reason: str) -> None:
        body = {"kind": MESSAGE_KIND, "reason": reason, "delivery": asdict(delivery)}
        self.client.send_message(QueueUrl=self.queue_url, MessageBody=json.dumps(body, sort_keys=True))
