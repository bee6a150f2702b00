"""Domain exceptions. Each carries a stable code and an HTTP status, mapped once to the
error envelope ``{"error": {"code", "message", "requestId"}}`` by the handlers."""

from typing import Any, ClassVar


class DomainError(Exception):
    status: ClassVar[int] = 400
    code: ClassVar[str] = "BAD_REQUEST"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code  # type: ignore[misc]  # per-instance override of the class default
        self.details = details


class BadRequest(DomainError):
    status = 400
    code = "BAD_REQUEST"


class Unauthorized(DomainError):
    status = 401
    code = "UNAUTHORIZED"


class Forbidden(DomainError):
    status = 403
    code = "FORBIDDEN"


class NotFound(DomainError):
    status = 404
    code = "NOT_FOUND"


class Conflict(DomainError):
    status = 409
    code = "CONFLICT"


class SlotTaken(Conflict):
    code = "SLOT_TAKEN"


class IdempotencyKeyReused(Conflict):
    code = "IDEMPOTENCY_KEY_REUSED"


class ChangeWindowClosed(Conflict):
    """A patient tried to cancel or reschedule inside the tenant's window."""

    code = "CHANGE_WINDOW_CLOSED"


class InvalidState(Conflict):
    """E.g. rescheduling a cancelled booking."""

    code = "INVALID_STATE"


class ConcurrentModification(Conflict):
    code = "CONCURRENT_MODIFICATION"


class LastOwner(Conflict):
    """A change would leave the tenant without an active Owner."""

    code = "LAST_OWNER"


class InvalidValue(DomainError):
    status = 422
    code = "INVALID_VALUE"


class InternalError(DomainError):
    """Not the caller's fault: answered as 500 ``INTERNAL`` (logged with its cause)."""

    status = 500
    code = "INTERNAL"


class IdempotencyRecordExists(Exception):  # a signal between adapter and service, not an error
    """Raised by a repository when the idempotency record of a create already exists;
    the service then reads it and answers with the original booking or a 409."""
