"""The few strongly consistent reads the notifications function makes.

Tenant, professional, treatment, user and booking items, each by its key (see
``table_design``: ``TENANT#<t>`` with ``PROFILE``, ``PRO#<id>``, ``TRT#<id>``,
``USER#<sub>``, ``BOOKING#<id>``). Only ``dynamodb:GetItem``, which the function's
``TABLE_READ`` permission grants.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import boto3
from pydantic import BaseModel

from booking.adapters import table_design
from booking.adapters.stream_images import item_fields
from booking.domain.models import Booking, Professional, Tenant, Treatment, User

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient
else:
    DynamoDBClient = Any

ModelT = TypeVar("ModelT", bound=BaseModel)


def _default_client() -> DynamoDBClient:
    return boto3.client("dynamodb")


class DynamoReadRepository:
    def __init__(
        self,
        table_name: str,
        client: DynamoDBClient | None = None,
        client_factory: Callable[[], DynamoDBClient] = _default_client,
    ) -> None:
        self.table_name = table_name
        self._client = client
        self._client_factory = client_factory
        self._lock = threading.Lock()

    @property
    def client(self) -> DynamoDBClient:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._client_factory()
        return self._client

    def _get(self, model: type[ModelT], tenant_id: str, sort_key: str) -> ModelT | None:
        response = self.client.get_item(
            TableName=self.table_name,
            Key={
                table_design.PARTITION_KEY: {"S": f"TENANT#{tenant_id}"},
                table_design.SORT_KEY: {"S": sort_key},
            },
            ConsistentRead=True,
        )
        item = response.get("Item")
        if item is None:
            return None
        return model.model_validate(item_fields(item))

    def get_tenant(self, tenant_id: str) -> Tenant | None:
        return self._get(Tenant, tenant_id, "PROFILE")

    def get_professional(self, tenant_id: str, professional_id: str) -> Professional | None:
        return self._get(Professional, tenant_id, f"PRO#{professional_id}")

    def get_treatment(self, tenant_id: str, treatment_id: str) -> Treatment | None:
        return self._get(Treatment, tenant_id, f"TRT#{treatment_id}")

    def get_user(self, tenant_id: str, user_id: str) -> User | None:
        return self._get(User, tenant_id, f"USER#{user_id}")

    def get(self, tenant_id: str, booking_id: str) -> Booking | None:
        return self._get(Booking, tenant_id, f"BOOKING#{booking_id}")
