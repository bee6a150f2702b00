"""Catalog reads every service needs, with the errors they all answer.

Every read is keyed by the caller's tenant: another tenant's id simply is not found.
A tenant that never saved a profile reads as the defaults.
"""

from __future__ import annotations

from booking.domain.errors import NotFound
from booking.domain.models import Professional, Tenant, Treatment
from booking.domain.ports import BookingContextReader, CatalogRepository


def load_tenant(catalog: CatalogRepository, tenant_id: str) -> Tenant:
    """The tenant's profile; a tenant that never saved one gets the defaults."""
    tenant = catalog.get_tenant(tenant_id)
    return tenant if tenant is not None else Tenant(id=tenant_id, name=tenant_id)


def load_professional(catalog: CatalogRepository, tenant_id: str, professional_id: str) -> Professional:
    professional = catalog.get_professional(tenant_id, professional_id)
    if professional is None:
        raise NotFound(f"professional {professional_id} not found", code="PROFESSIONAL_NOT_FOUND")
    return professional


def load_treatment(catalog: CatalogRepository, tenant_id: str, treatment_id: str) -> Treatment:
    treatment = catalog.get_treatment(tenant_id, treatment_id)
    if treatment is None:
        raise NotFound(f"treatment {treatment_id} not found", code="TREATMENT_NOT_FOUND")
    return treatment


def load_booking_context(
    catalog: CatalogRepository, tenant_id: str, professional_id: str, treatment_id: str
) -> tuple[Tenant, Professional, Treatment]:
    """Tenant, professional and treatment for a booking or an availability query: one
    request when the repository can batch them, three otherwise."""
    if isinstance(catalog, BookingContextReader):
        tenant, professional, treatment = catalog.booking_context(tenant_id, professional_id, treatment_id)
    else:
        tenant = catalog.get_tenant(tenant_id)
        professional = catalog.get_professional(tenant_id, professional_id)
        treatment = catalog.get_treatment(tenant_id, treatment_id)
    if professional is None:
        raise NotFound(f"professional {professional_id} not found", code="PROFESSIONAL_NOT_FOUND")
    if treatment is None:
        raise NotFound(f"treatment {treatment_id} not found", code="TREATMENT_NOT_FOUND")
    return tenant if tenant is not None else Tenant(id=tenant_id, name=tenant_id), professional, treatment
