"""``ContextReader`` on the table: what a request needs to start, in one BatchGetItem.

The tenant's profile, the caller's, a managed user's and a patient's records, a booking, a
professional, a treatment, the tenant's closures and the caller's Idempotency-Key
record are items with known keys, so one strongly consistent ``BatchGetItem`` reads
whichever of them a request names: the access gate's read (caller and tenant) costs
nothing extra where an operation reads a context anyway.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from booking.adapters import dynamodb_directory_items as directory
from booking.adapters import dynamodb_items as items
from booking.adapters.dynamodb_table import DynamoTable, Item
from booking.domain.models import Booking, Closures, Professional, Tenant, Treatment, User
from booking.domain.ports import Context, ContextRequest

# BatchGetItem may return some keys as unprocessed under throttling; retry them a few
# times with a short backoff before giving up.
BATCH_ATTEMPTS = 5
BATCH_BACKOFF_SECONDS = 0.05

Reader = Callable[[Item], Any]


def _model(model_type: type[BaseModel]) -> Reader:
    return lambda item: items.model_from_item(model_type, item)


def _closures(item: Item) -> tuple[Any, ...]:
    return tuple(items.model_from_item(Closures, item).items)


class DynamoContextReader:
    def __init__(self, table: DynamoTable) -> None:
        self._table = table

    def read(self, request: ContextRequest) -> Context:
        tenant = request.tenant_id
        in_tenant = items.tenant_pk(tenant)
        # Context field -> (key, how its item becomes the field's value).
        wanted: dict[str, tuple[Item, Reader]] = {
            "tenant": (items.key_of(in_tenant, items.PROFILE_SK), _model(Tenant))
        }
        ids: dict[str, tuple[str | None, str, type[BaseModel]]] = {
            "caller": (request.caller_id, items.USER_PREFIX, User),
            "user": (request.user_id, items.USER_PREFIX, User),
            "patient": (request.patient_id, items.USER_PREFIX, User),
            "professional": (request.professional_id, items.PROFESSIONAL_PREFIX, Professional),
            "treatment": (request.treatment_id, items.TREATMENT_PREFIX, Treatment),
            "booking": (request.booking_id, items.BOOKING_PREFIX, Booking),
        }
        for name, (identifier, prefix, model_type) in ids.items():
            if identifier is not None:
                wanted[name] = (items.key_of(in_tenant, prefix + identifier), _model(model_type))
        if request.idempotency_key is not None:
            if request.caller_id is None:
                raise ValueError("an Idempotency-Key record is the caller's: name the caller")
            key = items.idempotency_key(tenant, request.caller_id, request.idempotency_key)
            wanted["idempotency"] = (key, items.idempotency_from_item)
        if request.closures:
            wanted["closures"] = (directory.closures_key(tenant), _closures)
        found = self._batch_get([key for key, _ in wanted.values()])
        values = {
            name: read(found[_identity(key)])
            for name, (key, read) in wanted.items()
            if _identity(key) in found
        }
        return Context(**values)

    def _batch_get(self, keys: list[Item]) -> dict[tuple[str, str], Item]:
        """The items found under ``keys`` (asked for once each), by their key."""
        pending = list({_identity(key): key for key in keys}.values())
        found: dict[tuple[str, str], Item] = {}
        for attempt in range(BATCH_ATTEMPTS):
            response = self._table.client.batch_get_item(
                RequestItems={self._table.name: {"Keys": pending, "ConsistentRead": True}}
            )
            for item in response.get("Responses", {}).get(self._table.name, []):
                found[_identity(item)] = item
            unprocessed = response.get("UnprocessedKeys", {}).get(self._table.name)
            if not unprocessed:
                return found
            pending = list(unprocessed["Keys"])
            time.sleep(BATCH_BACKOFF_SECONDS * 2**attempt)
        raise RuntimeError(
            f"BatchGetItem left {len(pending)} keys unprocessed after {BATCH_ATTEMPTS} attempts"
        )


def _identity(item: Item) -> tuple[str, str]:
    return str(item[items.PK]["S"]), str(item[items.SK]["S"])
