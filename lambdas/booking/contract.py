"""What the infrastructure reads from the Lambda package: its published contract.

The Pulumi components, the stacks, the devstack and the CLI build the platform from
these facts: the HTTP routes, each function's settings and permissions, the table's
keys and indexes, and the identity provider's attribute, claims and role groups. They
import this module, never ``booking.domain`` or ``booking.adapters``, so the hexagon's
inner layers can be rearranged without touching the infrastructure.

Nothing is declared here: every name is re-exported from its one home
(``routes.py``, ``settings.py``, ``handlers/origin.py``, ``adapters/table_design.py``, ``domain/identity.py``,
``domain/roles.py``). No AWS SDK and no Pulumi is imported on the way.
"""

from __future__ import annotations

from booking.adapters.table_design import (
    BOOKING_SORT_KEY_PREFIX,
    INDEXES,
    PARTITION_KEY,
    SORT_KEY,
    TTL_ATTRIBUTE,
    Index,
    key_attributes,
)
from booking.domain.identity import (
    GROUPS_CLAIM,
    ROLE_PRECEDENCE,
    TENANT_ATTRIBUTE,
    TENANT_CLAIM,
    group_precedence,
)
from booking.domain.roles import Role
from booking.handlers.origin import ORIGIN_HEADER
from booking.routes import ROUTES, find_route, routes_for
from booking.routing import Route, Throttle
from booking.settings import (
    FUNCTIONS,
    SEND_QUOTA_EVENT_KIND,
    SEND_QUOTA_METRIC,
    SEND_QUOTA_SCHEDULE,
    Access,
    FunctionSettings,
    FunctionSpec,
    Permission,
)

__all__ = [
    "BOOKING_SORT_KEY_PREFIX",
    "FUNCTIONS",
    "GROUPS_CLAIM",
    "INDEXES",
    "ORIGIN_HEADER",
    "PARTITION_KEY",
    "ROLE_PRECEDENCE",
    "ROUTES",
    "SEND_QUOTA_EVENT_KIND",
    "SEND_QUOTA_METRIC",
    "SEND_QUOTA_SCHEDULE",
    "SORT_KEY",
    "TENANT_ATTRIBUTE",
    "TENANT_CLAIM",
    "TTL_ATTRIBUTE",
    "Access",
    "FunctionSettings",
    "FunctionSpec",
    "Index",
    "Permission",
    "Role",
    "Route",
    "Throttle",
    "find_route",
    "group_precedence",
    "key_attributes",
    "routes_for",
]
