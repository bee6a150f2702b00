"""What a route of the HTTP API is. The routes themselves are declared in ``routes.py``.

A route names the domain action it performs; its roles and its operation id are read
from the action (``access.PERMISSIONS`` and the action's value), never spelled twice.
Free of AWS and Pulumi imports: the Lambda and the infrastructure both read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel

from booking.domain.access import Action, roles_for
from booking.domain.roles import Role


class PublicOperation(StrEnum):
    """Operations anyone may call, without a token: they are no domain action and check
    no role. Values are the API's operation ids, like ``Action``'s."""

    GET_HEALTH = "getHealth"


# What a route performs, and what a handler registers its operation under.
OperationId = Action | PublicOperation


@dataclass(frozen=True)
class Throttle:
    """A per-route override of the stage's throttling (requests per second, burst)."""

    rate_limit: float
    burst_limit: int


@dataclass(frozen=True)
class Route:
    """One operation of the API. Who may call it is the permission table's row for its
    action (``access.PERMISSIONS``); its operation id is the action's value."""

    method: str
    path: str  # API Gateway syntax: /bookings/{id}
    function: str  # key of settings.FUNCTIONS
    operation: OperationId
    summary: str
    throttle: Throttle | None = None
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    success_status: int = 200

    def __post_init__(self) -> None:
        # A route whose action has no row in the table stops the package from loading.
        if self.action is not None:
            roles_for(self.action)

    @property
    def action(self) -> Action | None:
        """The domain action this route performs; ``None`` for a public route."""
        return self.operation if isinstance(self.operation, Action) else None

    @property
    def public(self) -> bool:
        return self.action is None

    @property
    def operation_id(self) -> str:
        return self.operation.value

    @property
    def roles(self) -> frozenset[Role]:
        """The roles the permission table allows; none for a public route (no token)."""
        return frozenset() if self.action is None else roles_for(self.action)

    @property
    def route_key(self) -> str:
        """The HTTP API route key, e.g. ``POST /bookings``."""
        return f"{self.method} {self.path}"
