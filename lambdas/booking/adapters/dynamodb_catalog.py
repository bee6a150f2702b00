"""``CatalogRepository`` on the table: tenant profile, closures, professionals, treatments.

All of a tenant's catalog lives in its partition (``TENANT#<t>``), so a list is one
Query on the base table with a sort-key prefix, read strongly consistent (a
professional just created is listed at once). Never a Scan: the tenants themselves
are listed from the directory index. A profile with a web address is written in one
transaction with the address's uniqueness item (``dynamodb_directory_items``).
"""

from __future__ import annotations

from typing import Any, TypeVar

from botocore.exceptions import ClientError
from pydantic import BaseModel

from booking.adapters import dynamodb_directory_items as directory
from booking.adapters import dynamodb_items as items
from booking.adapters.dynamodb_table import DynamoTable, condition_failed
from booking.domain.errors import ConcurrentModification, Conflict
from booking.domain.models import Closures, Professional, Tenant, Treatment

ModelT = TypeVar("ModelT", bound=BaseModel)

TENANT_EXISTS = "TENANT_EXISTS"
WEB_ADDRESS_TAKEN = "WEB_ADDRESS_TAKEN"


class DynamoCatalogRepository:
    def __init__(self, table: DynamoTable) -> None:
        self._table = table

    # --- tenant ---------------------------------------------------------------------

    def get_tenant(self, tenant_id: str) -> Tenant | None:
        item = self._table.get(items.key_of(items.tenant_pk(tenant_id), items.PROFILE_SK))
        return items.model_from_item(Tenant, item) if item else None

    def find_tenant_by_web_address(self, web_address: str) -> Tenant | None:
        item = self._table.get(directory.web_address_key(web_address))
        return items.model_from_item(Tenant, item) if item else None

    def create_tenant(self, tenant: Tenant) -> None:
        self._write_tenant(tenant, None, new=True)

    def put_tenant(self, tenant: Tenant, previous: Tenant | None = None) -> None:
        self._write_tenant(tenant, previous, new=False)

    def list_tenants(self) -> list[Tenant]:
        index = directory.DIRECTORY
        found = self._table.query_all(
            IndexName=index.name,
            KeyConditionExpression="#pk = :pk",
            ExpressionAttributeNames={"#pk": index.partition_key},
            ExpressionAttributeValues={":pk": {"S": items.TENANTS_PK}},
        )
        return [items.model_from_item(Tenant, item) for item in found]

    def _write_tenant(self, tenant: Tenant, previous: Tenant | None, *, new: bool) -> None:
        """The profile, its web address's item (claimed unless another tenant holds it)
        and the release of the previous address, in one transaction."""
        names = {"#pk": items.PK}
        profile: dict[str, Any] = {"TableName": self._table.name, "Item": items.tenant_item(tenant)}
        if new:
            profile |= {"ConditionExpression": "attribute_not_exists(#pk)", "ExpressionAttributeNames": names}
        actions: list[Any] = [{"Put": profile}]
        mine = {
            "ExpressionAttributeNames": {**names, "#tenant": "id"},
            "ExpressionAttributeValues": {":tenant": {"S": tenant.id}},
        }
        if tenant.web_address is not None:
            claim = {"Item": directory.web_address_item(tenant), "TableName": self._table.name}
            condition = "attribute_not_exists(#pk) OR #tenant = :tenant"
            actions.append({"Put": {**claim, "ConditionExpression": condition, **mine}})
        old = previous.web_address if previous is not None else None
        if old is not None and old != tenant.web_address:
            release = {"Key": directory.web_address_key(old), "TableName": self._table.name}
            condition = "attribute_not_exists(#pk) OR #tenant = :tenant"
            actions.append({"Delete": {**release, "ConditionExpression": condition, **mine}})
        codes = self._table.transact(actions)
        if codes is None:
            return
        if new and codes[0] == "ConditionalCheckFailed":
            raise Conflict(f"the tenant id {tenant.id} is taken", code=TENANT_EXISTS)
        if "ConditionalCheckFailed" in codes[1:]:
            raise Conflict(f"the web address {tenant.web_address} is taken", code=WEB_ADDRESS_TAKEN)
        raise ConcurrentModification("the tenant is being changed by another request; try again")

    # --- closures -------------------------------------------------------------------

    def get_closures(self, tenant_id: str) -> Closures:
        item = self._table.get(directory.closures_key(tenant_id))
        return items.model_from_item(Closures, item) if item else Closures(tenant_id=tenant_id)

    def put_closures(self, current: Closures, updated: Closures) -> None:
        stored = updated.model_copy(update={"version": current.version + 1})
        condition = "attribute_not_exists(#pk)" if current.version == 0 else "#version = :version"
        request: dict[str, Any] = {
            "TableName": self._table.name,
            "Item": directory.closures_item(stored),
            "ConditionExpression": condition,
            "ExpressionAttributeNames": {"#pk": items.PK}
            if current.version == 0
            else {"#version": "version"},
        }
        if current.version:
            request["ExpressionAttributeValues"] = {":version": {"N": str(current.version)}}
        try:
            self._table.client.put_item(**request)
        except ClientError as error:
            if condition_failed(error):
                raise ConcurrentModification("the closures changed meanwhile; read them again") from error
            raise

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
