"""Bringing a clinic on board, switching it off and on, and its web address."""

from __future__ import annotations

import pytest
from booking.domain.admission import AccessRevoked, Gate
from booking.domain.commands import CreateTenant, UpdateTenant
from booking.domain.errors import Conflict, NotFound
from booking.domain.models import AccountStatus, Tenant
from booking.domain.roles import Role
from booking.domain.tenants import TenantAdministration
from pydantic import ValidationError

from tests.factories import OTHER_TENANT, TENANT, Clinic, clinic, principal

REQUEST = CreateTenant(
    id="sonrisa",
    name="Clínica Sonrisa",
    time_zone="America/Guayaquil",
    owner_email="olga@sonrisa.ec",
    web_address="sonrisa",
)


def administration(world: Clinic) -> TenantAdministration:
    return TenantAdministration(world.catalog, world.users, world.directory, world.context, world.clock)


def test_a_new_clinic_gets_its_profile_and_an_owner_invited_by_email():
    world = clinic()
    said: list[str] = []

    done = administration(world).create(REQUEST, said.append)

    assert world.catalog.get_tenant("sonrisa") == done.tenant
    assert world.catalog.find_tenant_by_web_address("sonrisa") == done.tenant
    assert (done.tenant.status, done.tenant.sign_up_enabled) == (AccountStatus.ACTIVE, False)
    assert (done.owner.role, done.owner.email, done.owner.tenant_id) == (
        Role.OWNER,
        "olga@sonrisa.ec",
        "sonrisa",
    )
    assert world.directory.identity("olga@sonrisa.ec").tenant_id == "sonrisa"
    assert said == list(done.changes)
    assert len(done.changes) == 2


def test_running_it_again_with_the_same_values_changes_nothing():
    world = clinic()
    first = administration(world).create(REQUEST)
    identities = dict(world.directory.created)

    again = administration(world).create(REQUEST)

    assert (again.changes, again.tenant, again.owner) == ((), first.tenant, first.owner)
    assert world.directory.created == identities


def test_a_run_cut_short_after_the_profile_finishes_the_job():
    world = clinic()
    profile = Tenant(
        id="sonrisa", name="Clínica Sonrisa", time_zone="America/Guayaquil", web_address="sonrisa"
    )
    world.catalog.create_tenant(profile)  # what a run stopped before the invitation left

    done = administration(world).create(REQUEST)

    assert done.changes == ("invited the Owner olga@sonrisa.ec by email",)
    assert done.tenant == profile
    assert world.directory.identity("olga@sonrisa.ec").role is Role.OWNER


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"id": TENANT}, "TENANT_EXISTS"),
        ({"id": "other", "web_address": "sonrisa"}, "WEB_ADDRESS_TAKEN"),
        ({"id": "other", "web_address": None, "owner_email": "olga@sonrisa.ec"}, "USER_EXISTS"),
    ],
)
def test_what_is_taken_is_refused_before_anything_is_written(change, code):
    world = clinic()
    administration(world).create(REQUEST)
    tenants, identities = dict(world.catalog.tenants), dict(world.directory.created)

    with pytest.raises(Conflict) as refused:
        administration(world).create(REQUEST.model_copy(update=change))

    assert refused.value.code == code
    assert (world.catalog.tenants, world.directory.created) == (tenants, identities)


@pytest.mark.parametrize(
    ("field", "value"),
    [("time_zone", "Mars/Olympus"), ("owner_email", "not-an-email"), ("web_address", "Bad_Slug")],
)
def test_an_unknown_zone_a_malformed_email_or_a_bad_web_address_is_invalid(field, value):
    with pytest.raises(ValidationError):
        CreateTenant.model_validate({**REQUEST.model_dump(), field: value})


def test_a_disabled_clinic_is_refused_everywhere_and_enabling_restores_it_unchanged():
    world = clinic()
    admin = administration(world)
    before = world.catalog.get_tenant(TENANT)
    users = dict(world.users.users)

    disabled, changed = admin.set_status(TENANT, AccountStatus.DISABLED)
    with pytest.raises(AccessRevoked) as refused:
        Gate(world.context).admit(principal(Role.OWNER))
    Gate(world.context).admit(principal(Role.OWNER, tenant=OTHER_TENANT))
    again, unchanged = admin.set_status(TENANT, AccountStatus.DISABLED)
    enabled, _ = admin.set_status(TENANT, AccountStatus.ACTIVE)

    assert (changed, unchanged, again) == (True, False, disabled)
    assert refused.value.code == "TENANT_DISABLED"
    assert enabled.model_copy(update={"updated_at": None}) == before.model_copy(update={"updated_at": None})  # type: ignore[union-attr]
    assert world.users.users == users
    Gate(world.context).admit(principal(Role.OWNER))
    with pytest.raises(NotFound):
        admin.set_status("ghost", AccountStatus.DISABLED)


def test_clinics_are_listed_by_id():
    world = clinic()
    administration(world).create(REQUEST)
    assert [tenant.id for tenant in administration(world).list_tenants()] == [TENANT, OTHER_TENANT, "sonrisa"]


def test_the_owner_sets_the_web_address_sign_up_and_inbox_and_another_clinics_address_is_taken():
    world = clinic()
    service = world.catalogs_service()
    owner = principal(Role.OWNER)
    patch = UpdateTenant(web_address="clinica-a", sign_up_enabled=True, inbox_email="desk@clinic-a.ec")

    updated = service.update_tenant(owner, patch)
    moved = service.update_tenant(owner, UpdateTenant(web_address="clinica-a-quito"))
    with pytest.raises(Conflict) as taken:
        service.update_tenant(
            principal(Role.OWNER, tenant=OTHER_TENANT), UpdateTenant(web_address="clinica-a-quito")
        )

    assert (updated.sign_up_enabled, updated.inbox_email) == (True, "desk@clinic-a.ec")
    assert world.catalog.find_tenant_by_web_address("clinica-a") is None
    assert world.catalog.find_tenant_by_web_address("clinica-a-quito") == moved
    assert taken.value.code == "WEB_ADDRESS_TAKEN"
