"""The catalog repository stores tenants, professionals and treatments per tenant."""

from __future__ import annotations

from datetime import UTC, datetime, time

from booking.adapters.dynamodb_catalog import DynamoCatalogRepository
from booking.domain.models import (
    Professional,
    Tenant,
    TenantPolicy,
    TimeOff,
    TimeRange,
    Treatment,
    WeeklySchedule,
)


def a_professional(professional_id: str = "pro-1", tenant_id: str = "t1") -> Professional:
    return Professional(
        id=professional_id,
        tenant_id=tenant_id,
        name="Dr. Ana",
        working_hours=WeeklySchedule(
            monday=[TimeRange(start=time(9), end=time(13)), TimeRange(start=time(14), end=time(18))]
        ),
        breaks=WeeklySchedule(monday=[TimeRange(start=time(11), end=time(11, 15))]),
        time_off=[
            TimeOff(
                start=datetime(2030, 1, 1, tzinfo=UTC), end=datetime(2030, 1, 2, tzinfo=UTC), reason="holiday"
            )
        ],
        treatment_ids=["trt-1", "trt-2"],
        user_id="sub-1",
    )


def test_a_tenant_profile_round_trips_with_its_policy(catalog: DynamoCatalogRepository) -> None:
    tenant = Tenant(
        id="t1",
        name="Clínica Sonrisa",
        time_zone="Europe/Madrid",
        policy=TenantPolicy(minimum_notice_minutes=120, slot_step_minutes=10),
        created_at=datetime(2030, 1, 1, 8, tzinfo=UTC),
    )
    catalog.put_tenant(tenant)

    assert catalog.get_tenant("t1") == tenant
    assert catalog.get_tenant("t2") is None


def test_a_professional_round_trips_with_hours_breaks_and_time_off(catalog: DynamoCatalogRepository) -> None:
    professional = a_professional()
    catalog.put_professional(professional)

    assert catalog.get_professional("t1", "pro-1") == professional


def test_professionals_are_listed_per_tenant_only(catalog: DynamoCatalogRepository) -> None:
    catalog.put_professional(a_professional("pro-1"))
    catalog.put_professional(a_professional("pro-2"))
    catalog.put_professional(a_professional("pro-x", tenant_id="t2"))
    catalog.put_treatment(Treatment(id="trt-1", tenant_id="t1", name="Cleaning", duration_minutes=30))

    assert [p.id for p in catalog.list_professionals("t1")] == ["pro-1", "pro-2"]
    assert [p.id for p in catalog.list_professionals("t2")] == ["pro-x"]
    assert catalog.get_professional("t2", "pro-1") is None


def test_deleting_a_professional_says_whether_it_existed(catalog: DynamoCatalogRepository) -> None:
    catalog.put_professional(a_professional())

    assert catalog.delete_professional("t1", "pro-1") is True
    assert catalog.delete_professional("t1", "pro-1") is False
    assert catalog.list_professionals("t1") == []


def test_treatments_round_trip_list_and_delete(catalog: DynamoCatalogRepository) -> None:
    cleaning = Treatment(
        id="trt-1",
        tenant_id="t1",
        name="Cleaning",
        duration_minutes=45,
        buffer_before_minutes=5,
        buffer_after_minutes=10,
    )
    filling = Treatment(id="trt-2", tenant_id="t1", name="Filling", duration_minutes=60, active=False)
    catalog.put_treatment(cleaning)
    catalog.put_treatment(filling)
    catalog.put_professional(a_professional())

    assert catalog.get_treatment("t1", "trt-1") == cleaning
    assert catalog.list_treatments("t1") == [cleaning, filling]
    assert catalog.delete_treatment("t1", "trt-2") is True
    assert catalog.list_treatments("t1") == [cleaning]
    assert catalog.delete_treatment("t1", "missing") is False
