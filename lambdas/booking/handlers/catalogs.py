"""Lambda entry point of the ``catalogs`` function: health, tenant, closures, professionals
(and their time off), treatments."""

from __future__ import annotations

from booking import bootstrap
from booking.domain.access import Action
from booking.domain.catalogs import CatalogService
from booking.handlers.http import Call, HttpFunction, Reply
from booking.routing import PublicOperation
from booking.schemas import (
    Closure,
    ClosureCreate,
    ClosureList,
    Health,
    Professional,
    ProfessionalCreate,
    ProfessionalList,
    ProfessionalPatch,
    Tenant,
    TenantPatch,
    TimeOffUpdate,
    Treatment,
    TreatmentCreate,
    TreatmentList,
    TreatmentPatch,
)

function = HttpFunction("catalogs")


def _service() -> CatalogService:
    return bootstrap.catalogs()


@function.operation(PublicOperation.GET_HEALTH)
def get_health(_: Call) -> Health:
    return Health(status="ok", version=bootstrap.app_version())


@function.operation(Action.GET_TENANT)
def get_tenant(call: Call) -> Tenant:
    return _service().get_tenant(call.caller)


@function.operation(Action.UPDATE_TENANT)
def update_tenant(call: Call) -> Tenant:
    return _service().update_tenant(call.caller, call.body_as(TenantPatch))


@function.operation(Action.LIST_PROFESSIONALS)
def list_professionals(call: Call) -> ProfessionalList:
    return ProfessionalList(items=_service().list_professionals(call.caller))


@function.operation(Action.GET_PROFESSIONAL)
def get_professional(call: Call) -> Professional:
    return _service().get_professional(call.caller, call.path["id"])


@function.operation(Action.CREATE_PROFESSIONAL)
def create_professional(call: Call) -> Professional:
    return _service().create_professional(call.caller, call.body_as(ProfessionalCreate))


@function.operation(Action.UPDATE_PROFESSIONAL)
def update_professional(call: Call) -> Professional:
    return _service().update_professional(call.caller, call.path["id"], call.body_as(ProfessionalPatch))


@function.operation(Action.DELETE_PROFESSIONAL)
def delete_professional(call: Call) -> Reply:
    _service().delete_professional(call.caller, call.path["id"])
    return Reply(None)


@function.operation(Action.SET_TIME_OFF)
def set_time_off(call: Call) -> Professional:
    return _service().set_time_off(call.caller, call.path["id"], call.body_as(TimeOffUpdate))


@function.operation(Action.LIST_CLOSURES)
def list_closures(call: Call) -> ClosureList:
    return ClosureList(items=bootstrap.closures().list_closures(call.caller))


@function.operation(Action.CREATE_CLOSURE)
def create_closure(call: Call) -> Closure:
    return bootstrap.closures().create_closure(call.caller, call.body_as(ClosureCreate))


@function.operation(Action.DELETE_CLOSURE)
def delete_closure(call: Call) -> Reply:
    bootstrap.closures().delete_closure(call.caller, call.path["id"])
    return Reply(None)


@function.operation(Action.LIST_TREATMENTS)
def list_treatments(call: Call) -> TreatmentList:
    return TreatmentList(items=_service().list_treatments(call.caller))


@function.operation(Action.GET_TREATMENT)
def get_treatment(call: Call) -> Treatment:
    return _service().get_treatment(call.caller, call.path["id"])


@function.operation(Action.CREATE_TREATMENT)
def create_treatment(call: Call) -> Treatment:
    return _service().create_treatment(call.caller, call.body_as(TreatmentCreate))


@function.operation(Action.UPDATE_TREATMENT)
def update_treatment(call: Call) -> Treatment:
    return _service().update_treatment(call.caller, call.path["id"], call.body_as(TreatmentPatch))


@function.operation(Action.DELETE_TREATMENT)
def delete_treatment(call: Call) -> Reply:
    _service().delete_treatment(call.caller, call.path["id"])
    return Reply(None)


handler = function.build()
