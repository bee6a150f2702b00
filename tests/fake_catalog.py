"""In-memory fakes of the catalog (tenants, web addresses, closures, professionals,
treatments) and of the one-request context read every operation starts with."""

from __future__ import annotations

from typing import TYPE_CHECKING

from booking.domain.errors import ConcurrentModification, Conflict
from booking.domain.models import Closures, Professional, Tenant, Treatment
from booking.domain.ports import Context, ContextRequest

if TYPE_CHECKING:
    from tests.fakes import FakeBookingRepository, FakeUserRepository


class FakeCatalogRepository:
    def __init__(self) -> None:
        self.tenants: dict[str, Tenant] = {}
        self.web_addresses: dict[str, str] = {}  # web address -> tenant id
        self.closures: dict[str, Closures] = {}
        self.professionals: dict[tuple[str, str], Professional] = {}
        self.treatments: dict[tuple[str, str], Treatment] = {}

    def get_tenant(self, tenant_id: str) -> Tenant | None:
        return self.tenants.get(tenant_id)

    def find_tenant_by_web_address(self, web_address: str) -> Tenant | None:
        tenant_id = self.web_addresses.get(web_address)
        return None if tenant_id is None else self.tenants.get(tenant_id)

    def create_tenant(self, tenant: Tenant) -> None:
        if tenant.id in self.tenants:
            raise Conflict(f"the tenant id {tenant.id} is taken", code="TENANT_EXISTS")
        self.put_tenant(tenant)

    def put_tenant(self, tenant: Tenant, previous: Tenant | None = None) -> None:
        address = tenant.web_address
        if address is not None and self.web_addresses.get(address, tenant.id) != tenant.id:
            raise Conflict(f"the web address {address} is taken", code="WEB_ADDRESS_TAKEN")
        old = previous.web_address if previous is not None else None
        if old is not None and old != address and self.web_addresses.get(old) == tenant.id:
            del self.web_addresses[old]
        if address is not None:
            self.web_addresses[address] = tenant.id
        self.tenants[tenant.id] = tenant

    def list_tenants(self) -> list[Tenant]:
        return list(self.tenants.values())

    def get_closures(self, tenant_id: str) -> Closures:
        return self.closures.get(tenant_id, Closures(tenant_id=tenant_id))

    def put_closures(self, current: Closures, updated: Closures) -> None:
        if self.get_closures(current.tenant_id).version != current.version:
            raise ConcurrentModification("the closures changed meanwhile")
        self.closures[current.tenant_id] = updated.model_copy(update={"version": current.version + 1})

    def list_professionals(self, tenant_id: str) -> list[Professional]:
        return [item for (tenant, _), item in self.professionals.items() if tenant == tenant_id]

    def get_professional(self, tenant_id: str, professional_id: str) -> Professional | None:
        return self.professionals.get((tenant_id, professional_id))

    def put_professional(self, professional: Professional) -> None:
        self.professionals[(professional.tenant_id, professional.id)] = professional

    def delete_professional(self, tenant_id: str, professional_id: str) -> bool:
        return self.professionals.pop((tenant_id, professional_id), None) is not None

    def list_treatments(self, tenant_id: str) -> list[Treatment]:
        return [item for (tenant, _), item in self.treatments.items() if tenant == tenant_id]

    def get_treatment(self, tenant_id: str, treatment_id: str) -> Treatment | None:
        return self.treatments.get((tenant_id, treatment_id))

    def put_treatment(self, treatment: Treatment) -> None:
        self.treatments[(treatment.tenant_id, treatment.id)] = treatment

    def delete_treatment(self, tenant_id: str, treatment_id: str) -> bool:
        return self.treatments.pop((tenant_id, treatment_id), None) is not None


class FakeContextReader:
    """The one-request context read, over the other fakes; ``reads`` counts requests
    (what the access gate and the folded reads cost)."""

    def __init__(
        self, catalog: FakeCatalogRepository, users: FakeUserRepository, bookings: FakeBookingRepository
    ) -> None:
        self.catalog, self.users, self.bookings = catalog, users, bookings
        self.reads = 0

    def read(self, request: ContextRequest) -> Context:
        self.reads += 1
        tenant = request.tenant_id

        def user(user_id: str | None):  # type: ignore[no-untyped-def]
            return None if user_id is None else self.users.get_user(tenant, user_id)

        record = None
        if request.idempotency_key is not None:
            assert request.caller_id is not None, "an Idempotency-Key record is the caller's"
            record = self.bookings.get_idempotency(tenant, request.caller_id, request.idempotency_key)
        return Context(
            tenant=self.catalog.get_tenant(tenant),
            caller=user(request.caller_id),
            user=user(request.user_id),
            patient=user(request.patient_id),
            professional=None
            if request.professional_id is None
            else self.catalog.get_professional(tenant, request.professional_id),
            treatment=None
            if request.treatment_id is None
            else self.catalog.get_treatment(tenant, request.treatment_id),
            booking=None if request.booking_id is None else self.bookings.get(tenant, request.booking_id),
            idempotency=record,
            closures=tuple(self.catalog.get_closures(tenant).items) if request.closures else (),
        )
