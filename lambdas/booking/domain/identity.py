"""Who a caller is, in the identity provider's words: the facts every side shares.

The Cognito component declares the pool's tenant attribute and the role groups with
their precedence from here; the users adapter writes the attribute and the group; the
HTTP edge reads the verified token's claims by these names; the devstack's emulator
serves the same pool. A renamed claim therefore changes in one place.
"""

from __future__ import annotations

from collections.abc import Iterable

from booking.domain.roles import Role

# The user-pool attribute holding a user's tenant. Cognito prefixes custom attributes
# with ``custom:`` in tokens and in the user APIs.
TENANT_ATTRIBUTE = "tenant_id"
TENANT_CLAIM = f"custom:{TENANT_ATTRIBUTE}"
# The token claim listing the user's groups; each group is named after a ``Role``.
GROUPS_CLAIM = "cognito:groups"

# Highest privilege first: a user in several groups acts with the strongest role.
ROLE_PRECEDENCE: tuple[Role, ...] = (Role.OWNER, Role.ADMIN, Role.DENTIST, Role.RECEPTION, Role.PATIENT)
# Cognito orders a user's groups by precedence, lower first; the gaps leave room for a
# future role between two others without renumbering the pool's groups.
PRECEDENCE_STEP = 10


def group_precedence(role: Role) -> int:
    """The Cognito precedence of ``role``'s group, from its place in ``ROLE_PRECEDENCE``."""
    return ROLE_PRECEDENCE.index(role) * PRECEDENCE_STEP


def strongest_role(groups: Iterable[str]) -> Role | None:
    """The highest-privileged role among group names; unknown groups are ignored."""
    names = set(groups)
    return next((role for role in ROLE_PRECEDENCE if role.value in names), None)
