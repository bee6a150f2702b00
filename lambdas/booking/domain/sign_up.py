"""Patients who sign themselves up: the server binds the clinic and the role.

The web app signs a patient up with the pool itself (Cognito ``SignUp`` and
``ConfirmSignUp``), naming the clinic by its web address in the calls' client
metadata. The patient chooses nothing else: the pool's triggers decide.

- Before the identity exists (pre sign-up), the clinic must exist, be active and
  accept sign-ups (``Tenant.sign_up_enabled``), and the patient must not bring a
  tenant of their own (the app client cannot write ``custom:tenant_id``; refusing it
  here too keeps one misconfigured client from moving anyone).
- Once the email is confirmed (post confirmation), the clinic is checked again (it
  may have closed sign-ups in between), the identity gets the clinic's
  ``custom:tenant_id`` and the ``Patient`` group, and the patient's record is written:
  the record the API's gate reads on every request. An identity that already belongs
  to a clinic is never moved.

Each refusal is a ``SignUpRefused`` whose message starts with its code, which is what
Cognito shows the caller (``UserLambdaValidationException``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from booking.domain.errors import Forbidden
from booking.domain.identity import TENANT_CLAIM
from booking.domain.models import AccountStatus, Tenant, User
from booking.domain.ports import CatalogReader, Clock, PatientEnrolment, UserRepository
from booking.domain.roles import Role

# The key of the clinic's web address in the calls' ``ClientMetadata``.
WEB_ADDRESS_METADATA = "webAddress"


class SignUpRefused(Forbidden):
    """The pool refuses the sign-up (or its confirmation) with this message."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(f"{code}: {message}", code=code)


@dataclass(frozen=True)
class NewPatient:
    """The confirmed identity, as the post-confirmation trigger sees it."""

    user_pool_id: str
    username: str  # the pool's username (what the admin APIs take)
    sub: str
    email: str
    attributes: Mapping[str, str]


def web_address_of(client_metadata: Mapping[str, str] | None) -> str | None:
    value = (client_metadata or {}).get(WEB_ADDRESS_METADATA, "").strip().lower()
    return value or None


@dataclass(frozen=True)
class SelfSignUp:
    catalog: CatalogReader
    users: UserRepository
    enrolment: PatientEnrolment
    clock: Clock

    def admit(self, web_address: str | None, attributes: Mapping[str, str]) -> Tenant:
        """The clinic a sign-up names, if it accepts the patient (pre sign-up)."""
        if TENANT_CLAIM in attributes:
            raise SignUpRefused("the clinic is chosen by its web address only", code="TENANT_NOT_ALLOWED")
        return self._open_clinic(web_address)

    def enrol(self, web_address: str | None, patient: NewPatient) -> User:
        """Bind the confirmed identity to its clinic as a Patient and record it."""
        bound = patient.attributes.get(TENANT_CLAIM)
        if bound:
            raise SignUpRefused("this identity already belongs to a clinic", code="ALREADY_ENROLLED")
        tenant = self._open_clinic(web_address)
        now = self.clock.now()
        user = User(
            id=patient.sub,
            tenant_id=tenant.id,
            email=patient.email,
            name=patient.attributes.get("name") or None,
            phone=patient.attributes.get("phone_number") or None,
            role=Role.PATIENT,
            created_at=now,
            updated_at=now,
        )
        # The record first: an identity whose binding then fails has no tenant claim and
        # is refused everywhere; the record alone grants nothing without the claim.
        if self.users.get_user(tenant.id, user.id) is None:
            self.users.put_user(user)
        self.enrolment.enrol_patient(patient.user_pool_id, patient.username, tenant.id)
        return user

    def _open_clinic(self, web_address: str | None) -> Tenant:
        if web_address is None:
            raise SignUpRefused("choose the clinic by its web address", code="CLINIC_REQUIRED")
        tenant = self.catalog.find_tenant_by_web_address(web_address)
        if tenant is None:
            raise SignUpRefused(f"no clinic has the web address {web_address!r}", code="CLINIC_NOT_FOUND")
        if tenant.status is not AccountStatus.ACTIVE or not tenant.sign_up_enabled:
            raise SignUpRefused(f"{tenant.name} does not accept sign-ups", code="SIGN_UP_CLOSED")
        return tenant
