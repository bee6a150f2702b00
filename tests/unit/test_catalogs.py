"""Tenant profile/policy, professionals and treatments."""

from datetime import datetime

import pytest
from booking.domain.commands import (
    CancelBooking,
    CreateBooking,
    CreateProfessional,
    CreateTreatment,
    GetAvailability,
    UpdateProfessional,
    UpdateTenant,
    UpdateTreatment,
)
from booking.domain.errors import Conflict, Forbidden, InvalidValue, NotFound
from booking.domain.lookups import booking_context
from booking.domain.models import TenantPolicy
from booking.domain.ports import Context
from booking.domain.roles import Role

from tests.factories import CLEANING, OTHER_TENANT, PRO, TENANT, clinic, principal

OWNER = principal(Role.OWNER)
ADMIN = principal(Role.ADMIN)
PATIENT = principal(Role.PATIENT)


def test_a_tenant_without_a_saved_profile_reads_as_the_defaults():
    world = clinic()
    world.catalog.tenants.clear()
    tenant = world.catalogs_service().get_tenant(PATIENT)
    assert (tenant.id, tenant.time_zone, tenant.policy) == (TENANT, "America/Guayaquil", TenantPolicy())


def test_the_owner_patches_only_the_policy_fields_sent():
    world = clinic(policy=TenantPolicy(minimum_notice_minutes=120, slot_step_minutes=30))
    patch = UpdateTenant.model_validate({"name": "Sonrisas", "policy": {"slotStepMinutes": 20}})
    tenant = world.catalogs_service().update_tenant(OWNER, patch)
    assert tenant.name == "Sonrisas"
    assert (tenant.policy.slot_step_minutes, tenant.policy.minimum_notice_minutes) == (20, 120)
    assert world.catalog.get_tenant(TENANT) == tenant
    assert world.catalog.get_tenant(OTHER_TENANT).name == OTHER_TENANT


@pytest.mark.parametrize("role", [Role.ADMIN, Role.DENTIST, Role.RECEPTION, Role.PATIENT])
def test_only_the_owner_changes_the_tenant(role):
    with pytest.raises(Forbidden):
        clinic().catalogs_service().update_tenant(principal(role), UpdateTenant(name="x"))


def test_managers_create_professionals_only_with_treatments_of_their_tenant():
    world = clinic()
    service = world.catalogs_service()
    created = service.create_professional(
        ADMIN, CreateProfessional(name="Dr. Bo", treatment_ids=[CLEANING, CLEANING])
    )
    assert created.tenant_id == TENANT
    assert created.treatment_ids == [CLEANING]
    assert service.get_professional(PATIENT, created.id) == created
    with pytest.raises(InvalidValue) as refused:
        service.create_professional(ADMIN, CreateProfessional(name="Dr. Cy", treatment_ids=["nope"]))
    assert refused.value.code == "UNKNOWN_TREATMENT"


def test_patients_cannot_write_the_catalog():
    service = clinic().catalogs_service()
    with pytest.raises(Forbidden):
        service.create_professional(PATIENT, CreateProfessional(name="Dr. Evil"))
    with pytest.raises(Forbidden):
        service.create_treatment(PATIENT, CreateTreatment(name="x", duration_minutes=30))


def test_a_professional_patch_changes_only_what_it_names():
    world = clinic()
    updated = world.catalogs_service().update_professional(ADMIN, PRO, UpdateProfessional(name="Dr. Ana M."))
    assert updated.name == "Dr. Ana M."
    assert updated.treatment_ids == [CLEANING]
    with pytest.raises(InvalidValue):
        world.catalogs_service().update_professional(
            ADMIN, PRO, UpdateProfessional.model_validate({"name": None})
        )


def test_another_tenants_professional_and_treatment_are_not_found():
    world = clinic()
    world.catalog.professionals.pop((TENANT, PRO))
    world.catalog.treatments.pop((TENANT, CLEANING))
    service = world.catalogs_service()
    with pytest.raises(NotFound):
        service.get_professional(OWNER, PRO)
    with pytest.raises(NotFound):
        service.update_treatment(OWNER, CLEANING, UpdateTreatment(name="x"))
    with pytest.raises(NotFound):
        service.delete_professional(OWNER, PRO)


def test_treatments_reject_durations_that_would_not_fit_one_transaction():
    with pytest.raises(InvalidValue):
        clinic().catalogs_service().create_treatment(
            ADMIN, CreateTreatment(name="Marathon", duration_minutes=240, buffer_after_minutes=30)
        )


def test_a_treatment_still_performed_cannot_be_deleted_until_it_is_removed_from_professionals():
    world = clinic()
    service = world.catalogs_service()
    with pytest.raises(Conflict):
        service.delete_treatment(ADMIN, CLEANING)
    service.update_professional(ADMIN, PRO, UpdateProfessional(treatment_ids=[]))
    service.delete_treatment(ADMIN, CLEANING)
    assert service.list_treatments(ADMIN) == []


def test_a_professional_with_upcoming_bookings_cannot_be_deleted():
    world = clinic()
    start = datetime.fromisoformat("2026-03-03T10:00:00+01:00")
    world.booking_service().create(
        PATIENT, CreateBooking(professional_id=PRO, treatment_id=CLEANING, start=start), "k1"
    )
    with pytest.raises(Conflict) as refused:
        world.catalogs_service().delete_professional(OWNER, PRO)
    assert refused.value.code == "PROFESSIONAL_HAS_BOOKINGS"
    world.clock.current = datetime.fromisoformat("2026-03-04T10:00:00+01:00")
    world.catalogs_service().delete_professional(OWNER, PRO)
    assert world.catalog.get_professional(TENANT, PRO) is None


def test_booking_and_availability_read_their_context_and_the_caller_in_one_request():
    world = clinic()
    start = datetime.fromisoformat("2026-03-03T10:00:00+01:00")
    world.booking_service().create(
        PATIENT, CreateBooking(professional_id=PRO, treatment_id=CLEANING, start=start), "k"
    )
    assert world.context.reads == 1
    world.availability_service().slots(
        PATIENT,
        GetAvailability(professional_id=PRO, treatment_id=CLEANING, from_=start.date(), to=start.date()),
    )
    assert world.context.reads == 2


def test_a_context_without_a_tenant_profile_has_the_defaults_and_a_missing_treatment_is_not_found():
    context = Context(professional=clinic().catalog.get_professional(TENANT, PRO))

    with pytest.raises(NotFound) as missing:
        booking_context(context, TENANT, PRO, "ghost")

    assert missing.value.code == "TREATMENT_NOT_FOUND"
    found = clinic().catalog
    tenant, _, _ = booking_context(
        Context(
            professional=found.get_professional(TENANT, PRO), treatment=found.get_treatment(TENANT, CLEANING)
        ),
        TENANT,
        PRO,
        CLEANING,
    )
    assert tenant.policy == TenantPolicy()


def test_new_time_off_over_a_live_appointment_is_refused_until_it_is_moved():
    world = clinic()
    start = datetime.fromisoformat("2026-03-03T10:00:00+01:00")
    booking = (
        world.booking_service()
        .create(PATIENT, CreateBooking(professional_id=PRO, treatment_id=CLEANING, start=start), "k")
        .booking
    )
    service = world.catalogs_service()
    holiday = UpdateProfessional.model_validate(
        {"timeOff": [{"start": "2026-03-03T00:00:00+01:00", "end": "2026-03-04T00:00:00+01:00"}]}
    )
    with pytest.raises(Conflict) as refused:
        service.update_professional(ADMIN, PRO, holiday)
    assert refused.value.code == "TIME_OFF_OVERLAPS_BOOKINGS"
    assert [item["message"] for item in refused.value.details] == [booking.id]
    world.booking_service().cancel(ADMIN, booking.id, CancelBooking(reason="holiday"))
    assert len(service.update_professional(ADMIN, PRO, holiday).time_off) == 1
    afternoon = UpdateProfessional.model_validate(
        {"timeOff": [{"start": "2026-03-05T14:00:00+01:00", "end": "2026-03-05T18:00:00+01:00"}]}
    )
    assert service.update_professional(ADMIN, PRO, afternoon).time_off[0].reason is None
