"""Who is calling: derived only from the verified token's claims, never from the body."""

from __future__ import annotations

from dataclasses import dataclass

from booking.domain.roles import MANAGERS, STAFF_ROLES, Role


@dataclass(frozen=True)
class Principal:
    user_id: str  # Cognito ``sub``
    tenant_id: str  # ``custom:tenant_id``
    role: Role  # the highest-privileged of the caller's groups
    email: str | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_manager(self) -> bool:
        return self.role in MANAGERS
