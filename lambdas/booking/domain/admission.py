"""The access gate: a token is not enough, the caller must still be admitted.

An ID token lives up to an hour; disabling a user, or a whole clinic, must not wait
for it to expire. So every authenticated request reads the caller's user record and
their tenant's profile (one strongly consistent request, ``ContextReader``) and is
refused when:

- the tenant is disabled: 403 ``TENANT_DISABLED`` (nothing is deleted; enabling the
  tenant admits its users again as they were);
- the user is disabled, or has no record in the tenant: 403 ``USER_DISABLED``;
- the token's role is no longer the user's role (demoted or promoted since the token
  was issued): 403 ``ROLE_CHANGED``, until the user signs in again.

The HTTP edge admits the caller before the operation; an operation whose service reads
a context anyway (a booking, availability) asks for the caller in that same read
(``admitted``) and the edge does not read twice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from booking.domain.errors import Forbidden
from booking.domain.models import AccountStatus, Tenant, User
from booking.domain.ports import Context, ContextReader, ContextRequest
from booking.domain.principal import Principal

TENANT_DISABLED = "TENANT_DISABLED"
USER_DISABLED = "USER_DISABLED"
ROLE_CHANGED = "ROLE_CHANGED"


class AccessRevoked(Forbidden):
    """The token is valid but its holder is no longer admitted (never retried, never
    replayed: a disabled caller gets no earlier answer either)."""


def admit(principal: Principal, tenant: Tenant | None, caller: User | None) -> None:
    """Raise ``AccessRevoked`` unless the caller may act now. A tenant that never saved
    a profile has the defaults, which are active."""
    if tenant is not None and tenant.status is AccountStatus.DISABLED:
        raise AccessRevoked("this clinic's account is disabled", code=TENANT_DISABLED)
    if caller is None or caller.status is AccountStatus.DISABLED:
        raise AccessRevoked("this user is disabled", code=USER_DISABLED)
    if caller.role is not principal.role:
        raise AccessRevoked("your role has changed: sign in again", code=ROLE_CHANGED)


def admitted(reader: ContextReader, principal: Principal, wanted: ContextRequest | None = None) -> Context:
    """What ``wanted`` names, read together with the caller and their tenant, once the
    caller is admitted."""
    request = replace(wanted or ContextRequest(tenant_id=principal.tenant_id), caller_id=principal.user_id)
    if request.tenant_id != principal.tenant_id:
        raise ValueError("a context is read in the caller's own tenant")
    context = reader.read(request)
    admit(principal, context.tenant, context.caller)
    return context


@dataclass(frozen=True)
class Gate:
    """The edge's gate: admits the caller of a request whose operation reads nothing
    of its own first."""

    reader: ContextReader

    def admit(self, principal: Principal) -> None:
        admitted(self.reader, principal)
