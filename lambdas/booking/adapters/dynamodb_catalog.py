"""``CatalogRepository`` on the table: tenant profile, professionals, treatments.

All of a tenant's catalog lives in its partition (``TENANT#<t>``), so a list is one
Query on the base table with a sort-key prefix, read strongly consistent (a
professional just created is listed at once). Never a Scan.

``booking_context`` (the optional ``BookingContextReader`` capability) reads the
tenant, a professional and a treatment with one strongly consistent ``BatchGetItem``,
so creating a booking or computing availability costs one read instead of three.
"""

from __future__ import annotations

import time
from typing import TypeVar

from pydantic import BaseModel

from booking.adapters import dynamodb_items as items
from booking.adapters.dynamodb_table import DynamoTable, Item
from booking.domain.models import Professional, Tenant, Treatment

ModelT = TypeVar("ModelT", bound=BaseModel)

# BatchGetItem may return some keys as unprocessed under throttling; retry them a few
# times with a short backoff before giving up.
BATCH_ATTEMPTS = 5
BATCH_BACKOFF_SECONDS = 0.05


class DynamoCatalogRepository:
    def __init__(self, table: DynamoTable) -> None:
        self._table = table

    # --- tenant ---------------------------------------------------------------------

    def get_tenant(self, tenant_id: str) -> Tenant | None:
        item = self._table.get(items.key_of(items.tenant_pk(tenant_id), items.PROFILE_SK))
        return items.model_from_item(Tenant, item) if item else None

    def put_tenant(self, tenant: Tenant) -> None:
        self._table.put(items.tenant_item(tenant))

    # --- professionals --------------------------------------------------------------

    def list_professionals(self, tenant_id: str) -> list[Professional]:
        return self._list(Professional, tenant_id, items.PROFESSIONAL_PREFIX)

    def get_professional(self, tenant_id: str, professional_id: str) -> Professional | None:
        return self._get(Professional, tenant_id, items.PROFESSIONAL_PREFIX + professional_id)

    def put_professional(self, professional: Professional) -> None:
        self._table.put(items.professional_item(professional))

    def delete_professional(self, tenant_id: str, professional_id: str) -> bool:
        return self._table.delete(
            items.key_of(items.tenant_pk(tenant_id), items.PROFESSIONAL_PREFIX + professional_id)
        )

    # --- treatments -----------------------------------------------------------------

    def list_treatments(self, tenant_id: str) -> list[Treatment]:
        return self._list(Treatment, tenant_id, items.TREATMENT_PREFIX)

    def get_treatment(self, tenant_id: str, treatment_id: str) -> Treatment | None:
        return self._get(Treatment, tenant_id, items.TREATMENT_PREFIX + treatment_id)

    def put_treatment(self, treatment: Treatment) -> None:
        self._table.put(items.treatment_item(treatment))

    def delete_treatment(self, tenant_id: str, treatment_id: str) -> bool:
        return self._table.delete(
            items.key_of(items.tenant_pk(tenant_id), items.TREATMENT_PREFIX + treatment_id)
        )

    # --- batched read ------------------------------------------------------------

    def booking_context(
        self, tenant_id: str, professional_id: str, treatment_id: str
    ) -> tuple[Tenant | None, Professional | None, Treatment | None]:
        partition = items.tenant_pk(tenant_id)
        sort_keys = {
            "tenant": items.PROFILE_SK,
            "professional": items.PROFESSIONAL_PREFIX + professional_id,
            "treatment": items.TREATMENT_PREFIX + treatment_id,
        }
        found = self._batch_get([items.key_of(partition, sort_key) for sort_key in sort_keys.values()])
        by_sort_key = {item[items.SK]["S"]: item for item in found}

        def read(model_type: type[ModelT], name: str) -> ModelT | None:
            item = by_sort_key.get(sort_keys[name])
            return items.model_from_item(model_type, item) if item else None

        return read(Tenant, "tenant"), read(Professional, "professional"), read(Treatment, "treatment")

    def _batch_get(self, keys: list[Item]) -> list[Item]:
        found: list[Item] = []
        pending: list[Item] = keys
        for attempt in range(BATCH_ATTEMPTS):
            response = self._table.client.batch_get_item(
                RequestItems={self._table.name: {"Keys": pending, "ConsistentRead": True}}
            )
            found += response.get("Responses", {}).get(self._table.name, [])
            unprocessed = response.get("UnprocessedKeys", {}).get(self._table.name)
            if not unprocessed:
                return found
            pending = list(unprocessed["Keys"])
            time.sleep(BATCH_BACKOFF_SECONDS * 2**attempt)
        raise RuntimeError(
            f"BatchGetItem left {len(pending)} keys unprocessed after {BATCH_ATTEMPTS} attempts"
        )

    # --- shared ---------------------------------------------------------------------

    def _get(self, model_type: type[ModelT], tenant_id: str, sort_key: str) -> ModelT | None:
        item = self._table.get(items.key_of(items.tenant_pk(tenant_id), sort_key))
        return items.model_from_item(model_type, item) if item else None

    def _list(self, model_type: type[ModelT], tenant_id: str, prefix: str) -> list[ModelT]:
        found = self._table.query_all(
            KeyConditionExpression="#pk = :pk AND begins_with(#sk, :prefix)",
            ExpressionAttributeNames={"#pk": items.PK, "#sk": items.SK},
            ExpressionAttributeValues={":pk": {"S": items.tenant_pk(tenant_id)}, ":prefix": {"S": prefix}},
            ConsistentRead=True,
        )
        return [items.model_from_item(model_type, item) for item in found]
