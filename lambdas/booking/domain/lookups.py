"""Catalog reads every service needs, with the errors they all answer.

Every read is keyed by the caller's tenant: another tenant's id simply is not found.
A tenant that never saved a profile reads as the defaults.
"""

from __future__ import annotations

from booking.domain.errors import NotFound
from booking.domain.models import Professional, Tenant, Treatment
from booking.domain.ports import CatalogRepository, Context


def tenant_or_defaults(tenant_id: str, tenant: Tenant | None) -> Tenant:
    """The tenant's profile; a tenant that never saved one gets the defaults."""
    return tenant if tenant is not None else Tenant(id=tenant_id, name=tenant_id)


def load_tenant(catalog: CatalogRepository, tenant_id: str) -> Tenant:
    return tenant_or_defaults(tenant_id, catalog.get_tenant(tenant_id))


def load_professional(catalog: CatalogRepository, tenant_id: str, professional_id: str) -> Professional:
    return found_professional(catalog.get_professional(tenant_id, professional_id), professional_id)


def load_treatment(catalog: CatalogRepository, tenant_id: str, treatment_id: str) -> Treatment:
    return found_treatment(catalog.get_treatment(tenant_id, treatment_id), treatment_id)


def found_professional(professional: Professional | None, professional_id: str) -> Professional:
    if professional is None:
        raise NotFound(f"professional {professional_id} not found", code="PROFESSIONAL_NOT_FOUND")
    return professional


def found_treatment(treatment: Treatment | None, treatment_id: str) -> Treatment:
    if treatment is None:
        raise NotFound(f"treatment {treatment_id} not found", code="TREATMENT_NOT_FOUND")
    return treatment


def booking_context(
    context: Context, tenant_id: str, professional_id: str, treatment_id: str
) -> tuple[Tenant, Professional, Treatment]:
    """Tenant, professional and treatment of a booking or an availability query, from a
    context read that asked for them."""
    return (
        tenant_or_defaults(tenant_id, context.tenant),
        found_professional(context.professional, professional_id),
        found_treatment(context.treatment, treatment_id),
    )
