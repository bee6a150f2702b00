"""Tenants on the table: unique web addresses, the list without a Scan, closures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from booking.adapters.dynamodb_catalog import DynamoCatalogRepository
from booking.domain.errors import ConcurrentModification, Conflict
from booking.domain.models import AccountStatus, Closure, Closures, Tenant

DAY = datetime(2030, 12, 25, tzinfo=UTC)


def test_a_new_tenant_claims_its_web_address_and_is_found_by_it(catalog: DynamoCatalogRepository) -> None:
    tenant = Tenant(id="t1", name="Sonrisa", web_address="sonrisa", sign_up_enabled=True)

    catalog.create_tenant(tenant)

    assert catalog.get_tenant("t1") == tenant
    assert catalog.find_tenant_by_web_address("sonrisa") == tenant
    assert catalog.find_tenant_by_web_address("other") is None


def test_a_taken_tenant_id_or_web_address_is_a_conflict_and_writes_nothing(
    catalog: DynamoCatalogRepository,
) -> None:
    catalog.create_tenant(Tenant(id="t1", name="Sonrisa", web_address="sonrisa"))

    with pytest.raises(Conflict) as taken_id:
        catalog.create_tenant(Tenant(id="t1", name="Impostor", web_address="impostor"))
    with pytest.raises(Conflict) as taken_address:
        catalog.create_tenant(Tenant(id="t2", name="Copycat", web_address="sonrisa"))

    assert (taken_id.value.code, taken_address.value.code) == ("TENANT_EXISTS", "WEB_ADDRESS_TAKEN")
    assert catalog.find_tenant_by_web_address("impostor") is None
    assert catalog.get_tenant("t2") is None
    assert catalog.find_tenant_by_web_address("sonrisa").id == "t1"  # type: ignore[union-attr]


def test_changing_the_web_address_releases_the_old_one(catalog: DynamoCatalogRepository) -> None:
    before = Tenant(id="t1", name="Sonrisa", web_address="sonrisa")
    catalog.create_tenant(before)
    after = before.model_copy(update={"web_address": "sonrisa-quito", "status": AccountStatus.DISABLED})

    catalog.put_tenant(after, previous=before)
    catalog.create_tenant(Tenant(id="t2", name="Another", web_address="sonrisa"))

    assert catalog.find_tenant_by_web_address("sonrisa-quito") == after
    assert catalog.find_tenant_by_web_address("sonrisa").id == "t2"  # type: ignore[union-attr]


def test_another_tenants_web_address_cannot_be_taken_by_an_update(catalog: DynamoCatalogRepository) -> None:
    catalog.create_tenant(Tenant(id="t1", name="Sonrisa", web_address="sonrisa"))
    mine = Tenant(id="t2", name="Another")
    catalog.create_tenant(mine)

    with pytest.raises(Conflict) as taken:
        catalog.put_tenant(mine.model_copy(update={"web_address": "sonrisa"}), previous=mine)

    assert taken.value.code == "WEB_ADDRESS_TAKEN"
    assert catalog.get_tenant("t2") == mine


def test_every_tenant_is_listed_from_the_directory_index(catalog: DynamoCatalogRepository) -> None:
    for number in range(3):
        catalog.create_tenant(Tenant(id=f"t{number}", name=f"Clinic {number}"))

    assert sorted(tenant.id for tenant in catalog.list_tenants()) == ["t0", "t1", "t2"]


def test_closures_are_one_versioned_item(catalog: DynamoCatalogRepository) -> None:
    empty = catalog.get_closures("t1")
    christmas = Closure(id="c1", start=DAY, end=DAY + timedelta(days=1), reason="Navidad")
    catalog.put_closures(empty, empty.model_copy(update={"items": [christmas]}))

    stored = catalog.get_closures("t1")
    with pytest.raises(ConcurrentModification):
        catalog.put_closures(empty, empty.model_copy(update={"items": []}))
    catalog.put_closures(stored, stored.model_copy(update={"items": []}))

    assert (empty, stored.items, stored.version) == (Closures(tenant_id="t1"), [christmas], 1)
    assert catalog.get_closures("t1").items == []
    assert catalog.get_closures("t2").items == []
