"""The access gate: a valid token is not enough once a user or their clinic is disabled."""

from __future__ import annotations

from datetime import datetime

import pytest
from booking.domain.admission import AccessRevoked, Gate, admit
from booking.domain.commands import CreateBooking, GetAvailability
from booking.domain.models import AccountStatus, Tenant, User
from booking.domain.roles import Role

from tests.factories import CLEANING, PATIENT_ID, PRO, TENANT, clinic, principal

PATIENT = principal(Role.PATIENT)
RECORD = User(id=PATIENT_ID, tenant_id=TENANT, email="p@example.com", role=Role.PATIENT)
START = datetime.fromisoformat("2026-03-03T10:00:00+01:00")


def refusal(action) -> str:
    with pytest.raises(AccessRevoked) as refused:
        action()
    assert refused.value.status == 403
    return refused.value.code


def test_an_active_user_of_an_active_tenant_is_admitted():
    admit(PATIENT, Tenant(id=TENANT, name="A"), RECORD)
    admit(PATIENT, None, RECORD)  # a tenant that never saved a profile has the defaults


@pytest.mark.parametrize(
    ("tenant", "user", "code"),
    [
        (Tenant(id=TENANT, name="A", status=AccountStatus.DISABLED), RECORD, "TENANT_DISABLED"),
        (
            Tenant(id=TENANT, name="A"),
            RECORD.model_copy(update={"status": AccountStatus.DISABLED}),
            "USER_DISABLED",
        ),
        (Tenant(id=TENANT, name="A"), None, "USER_DISABLED"),
        (Tenant(id=TENANT, name="A"), RECORD.model_copy(update={"role": Role.RECEPTION}), "ROLE_CHANGED"),
    ],
)
def test_a_disabled_tenant_or_user_an_unknown_user_or_a_changed_role_is_refused(tenant, user, code):
    assert refusal(lambda: admit(PATIENT, tenant, user)) == code


def test_a_disabled_tenant_is_refused_before_its_users_are_looked_at():
    disabled = Tenant(id=TENANT, name="A", status=AccountStatus.DISABLED)
    assert refusal(lambda: admit(PATIENT, disabled, None)) == "TENANT_DISABLED"


def test_the_gate_reads_the_caller_and_their_tenant_in_one_request():
    world = clinic()
    Gate(world.context).admit(PATIENT)
    world.users.users[(TENANT, PATIENT_ID)] = RECORD.model_copy(update={"status": AccountStatus.DISABLED})

    assert refusal(lambda: Gate(world.context).admit(PATIENT)) == "USER_DISABLED"
    assert world.context.reads == 2


def test_a_disabled_patient_books_nothing_and_gets_no_replay_of_an_earlier_booking():
    world = clinic()
    request = CreateBooking(professional_id=PRO, treatment_id=CLEANING, start=START)
    world.booking_service().create(PATIENT, request, "k1")
    world.users.users[(TENANT, PATIENT_ID)] = RECORD.model_copy(update={"status": AccountStatus.DISABLED})

    assert refusal(lambda: world.booking_service().create(PATIENT, request, "k1")) == "USER_DISABLED"
    assert refusal(lambda: world.booking_service().create(PATIENT, request, "k2")) == "USER_DISABLED"
    assert len(world.bookings.bookings) == 1


def test_availability_admits_the_caller_in_its_own_read():
    world = clinic()
    tenant = world.catalog.get_tenant(TENANT)
    assert tenant is not None
    world.catalog.put_tenant(tenant.model_copy(update={"status": AccountStatus.DISABLED}))
    query = GetAvailability(professional_id=PRO, treatment_id=CLEANING, from_=START.date(), to=START.date())

    assert refusal(lambda: world.availability_service().slots(PATIENT, query)) == "TENANT_DISABLED"
    assert world.context.reads == 1
