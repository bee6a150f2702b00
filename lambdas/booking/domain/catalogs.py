"""Tenant profile and policy, professionals (and their time off) and treatments.

Every read and write is keyed by the caller's tenant: another tenant's id simply is
not found. Writes validate references inside the tenant (a professional's
``treatmentIds`` must name existing treatments; a treatment still performed by a
professional cannot be deleted). A dentist blocks and unblocks only their own time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from booking.domain.access import Action, authorize
from booking.domain.commands import (
    CreateProfessional,
    CreateTreatment,
    SetTimeOff,
    UpdateProfessional,
    UpdateTenant,
    UpdateTreatment,
)
from booking.domain.errors import Conflict, Forbidden, InvalidValue
from booking.domain.lookups import load_professional, load_tenant, load_treatment
from booking.domain.models import BookingStatus, Professional, Tenant, TenantPolicy, Treatment
from booking.domain.ports import (
    BookingQuery,
    BookingRepository,
    CatalogRepository,
    Clock,
    IdGenerator,
)
from booking.domain.principal import Principal
from booking.domain.roles import Role


def _updated(model: Any, changes: dict[str, Any]) -> Any:
    """A copy of ``model`` with ``changes``, validated again (``model_copy`` does not validate)."""
    return _validated(type(model), {**model.model_dump(), **changes})


def _validated(model_type: Any, data: dict[str, Any]) -> Any:
    """Entity-level rules (e.g. duration plus buffers fit one transaction) as a 422."""
    try:
        return model_type.model_validate(data)
    except ValidationError as error:
        raise InvalidValue(
            "; ".join(str(item["msg"]) for item in error.errors()), code="VALIDATION_ERROR"
        ) from error


@dataclass(frozen=True)
class CatalogService:
    catalog: CatalogRepository
    bookings: BookingRepository
    clock: Clock
    ids: IdGenerator

    # Tenant profile and policy
    def get_tenant(self, principal: Principal) -> Tenant:
        authorize(principal, Action.GET_TENANT)
        return load_tenant(self.catalog, principal.tenant_id)

    def update_tenant(self, principal: Principal, patch: UpdateTenant) -> Tenant:
        authorize(principal, Action.UPDATE_TENANT)
        tenant = load_tenant(self.catalog, principal.tenant_id)
        changes = patch.model_dump(exclude_unset=True, exclude={"policy"})
        if patch.policy is not None:
            # Only the policy fields the caller sent change; the others keep their values.
            policy_changes = patch.policy.model_dump(exclude_unset=True)
            changes["policy"] = TenantPolicy.model_validate({**tenant.policy.model_dump(), **policy_changes})
        now = self.clock.now()
        updated: Tenant = _updated(
            tenant, {**changes, "created_at": tenant.created_at or now, "updated_at": now}
        )
        self.catalog.put_tenant(updated, previous=tenant)
        return updated

    # Professionals
    def list_professionals(self, principal: Principal) -> list[Professional]:
        authorize(principal, Action.LIST_PROFESSIONALS)
        return sorted(self.catalog.list_professionals(principal.tenant_id), key=lambda item: item.name)

    def get_professional(self, principal: Principal, professional_id: str) -> Professional:
        authorize(principal, Action.GET_PROFESSIONAL)
        return load_professional(self.catalog, principal.tenant_id, professional_id)

    def create_professional(self, principal: Principal, request: CreateProfessional) -> Professional:
        authorize(principal, Action.CREATE_PROFESSIONAL)
        treatment_ids = self._existing_treatments(principal.tenant_id, request.treatment_ids)
        professional: Professional = _validated(
            Professional,
            {
                **request.model_dump(),
                "treatment_ids": treatment_ids,
                "id": self.ids.new_id(),
                "tenant_id": principal.tenant_id,
            },
        )
        self.catalog.put_professional(professional)
        return professional

    def update_professional(
        self, principal: Principal, professional_id: str, patch: UpdateProfessional
    ) -> Professional:
        authorize(principal, Action.UPDATE_PROFESSIONAL)
        professional = load_professional(self.catalog, principal.tenant_id, professional_id)
        changes = patch.model_dump(exclude_unset=True)
        if patch.treatment_ids is not None:
            changes["treatment_ids"] = self._existing_treatments(principal.tenant_id, patch.treatment_ids)
        for required in ("name", "working_hours", "breaks", "time_off", "treatment_ids", "active"):
            if required in changes and changes[required] is None:
                raise InvalidValue(f"{required} cannot be null", code="VALIDATION_ERROR")
        updated: Professional = _updated(professional, changes)
        self._refuse_time_off_over_bookings(professional, updated)
        self.catalog.put_professional(updated)
        return updated

    def set_time_off(self, principal: Principal, professional_id: str, request: SetTimeOff) -> Professional:
        """Replace a professional's time off, and nothing else of them: how a dentist
        blocks and unblocks their own time and reception anyone's."""
        authorize(principal, Action.SET_TIME_OFF)
        professional = load_professional(self.catalog, principal.tenant_id, professional_id)
        if principal.role is Role.DENTIST and professional.user_id != principal.user_id:
            raise Forbidden("dentists block their own time only", code="NOT_OWN_CALENDAR")
        updated = professional.model_copy(update={"time_off": request.time_off})
        self._refuse_time_off_over_bookings(professional, updated)
        self.catalog.put_professional(updated)
        return updated

    def _refuse_time_off_over_bookings(self, before: Professional, after: Professional) -> None:
        """New time off must not fall on live appointments: they would silently become
        impossible. The clinic moves or cancels them first (409 names them)."""
        added = [item for item in after.time_off if item not in before.time_off]
        clashes: list[str] = []
        for item in added:
            for booking in self.bookings.list_live_for_professional(
                after.tenant_id, after.id, item.start, item.end
            ):
                overlaps = _utc(booking.start) < _utc(item.end) and _utc(item.start) < _utc(booking.end)
                if overlaps and booking.id not in clashes:
                    clashes.append(booking.id)
        if clashes:
            raise Conflict(
                f"the new time off overlaps {len(clashes)} booking(s); move or cancel them first",
                code="TIME_OFF_OVERLAPS_BOOKINGS",
                details=[detail("timeOff", booking_id, "overlapping_booking") for booking_id in clashes],
            )

    def delete_professional(self, principal: Principal, professional_id: str) -> None:
        authorize(principal, Action.DELETE_PROFESSIONAL)
        load_professional(self.catalog, principal.tenant_id, professional_id)
        upcoming = self.bookings.query(
            BookingQuery(
                tenant_id=principal.tenant_id,
                professional_id=professional_id,
                start_from=self.clock.now(),
                statuses=frozenset({BookingStatus.CONFIRMED}),
                limit=1,
            )
        )
        if upcoming.items:
            raise Conflict(
                "the professional has upcoming bookings; cancel or move them first",
                code="PROFESSIONAL_HAS_BOOKINGS",
            )
        self.catalog.delete_professional(principal.tenant_id, professional_id)

    def _existing_treatments(self, tenant_id: str, treatment_ids: Iterable[str]) -> list[str]:
        wanted = list(dict.fromkeys(treatment_ids))  # de-duplicated, order kept
        known = {treatment.id for treatment in self.catalog.list_treatments(tenant_id)}
        unknown = [treatment_id for treatment_id in wanted if treatment_id not in known]
        if unknown:
            raise InvalidValue(
                f"unknown treatments: {', '.join(unknown)}",
                code="UNKNOWN_TREATMENT",
                details=[
                    detail("treatmentIds", treatment_id, "unknown_treatment") for treatment_id in unknown
                ],
            )
        return wanted

    # Treatments
    def list_treatments(self, principal: Principal) -> list[Treatment]:
        authorize(principal, Action.LIST_TREATMENTS)
        return sorted(self.catalog.list_treatments(principal.tenant_id), key=lambda item: item.name)

    def get_treatment(self, principal: Principal, treatment_id: str) -> Treatment:
        authorize(principal, Action.GET_TREATMENT)
        return load_treatment(self.catalog, principal.tenant_id, treatment_id)

    def create_treatment(self, principal: Principal, request: CreateTreatment) -> Treatment:
        authorize(principal, Action.CREATE_TREATMENT)
        treatment = _validated_treatment(
            {**request.model_dump(), "id": self.ids.new_id(), "tenant_id": principal.tenant_id}
        )
        self.catalog.put_treatment(treatment)
        return treatment

    def update_treatment(self, principal: Principal, treatment_id: str, patch: UpdateTreatment) -> Treatment:
        authorize(principal, Action.UPDATE_TREATMENT)
        treatment = load_treatment(self.catalog, principal.tenant_id, treatment_id)
        changes = patch.model_dump(exclude_unset=True)
        for field, value in changes.items():
            if value is None:
                raise InvalidValue(f"{field} cannot be null", code="VALIDATION_ERROR")
        updated = _validated_treatment({**treatment.model_dump(), **changes})
        self.catalog.put_treatment(updated)
        return updated

    def delete_treatment(self, principal: Principal, treatment_id: str) -> None:
        authorize(principal, Action.DELETE_TREATMENT)
        load_treatment(self.catalog, principal.tenant_id, treatment_id)
        performers = [
            professional.id
            for professional in self.catalog.list_professionals(principal.tenant_id)
            if treatment_id in professional.treatment_ids
        ]
        if performers:
            raise Conflict(
                "professionals still perform this treatment; remove it from them first",
                code="TREATMENT_IN_USE",
                details=[detail("id", professional_id, "performed_by") for professional_id in performers],
            )
        self.catalog.delete_treatment(principal.tenant_id, treatment_id)


def detail(field: str, message: str, kind: str) -> dict[str, str]:
    """One item of an error's ``details`` (the handlers render it as an ``ErrorDetail``)."""
    return {"field": field, "message": message, "type": kind}


def _utc(instant: datetime) -> datetime:
    return instant.astimezone(UTC)


def _validated_treatment(data: dict[str, Any]) -> Treatment:
    treatment: Treatment = _validated(Treatment, data)
    return treatment
