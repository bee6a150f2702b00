"""The five roles of the product, carried in the token's ``cognito:groups`` claim."""

from enum import StrEnum


class Role(StrEnum):
    OWNER = "Owner"
    ADMIN = "Admin"
    DENTIST = "Dentist"
    RECEPTION = "Reception"
    PATIENT = "Patient"


ALL_ROLES: frozenset[Role] = frozenset(Role)
STAFF_ROLES: frozenset[Role] = frozenset({Role.OWNER, Role.ADMIN, Role.DENTIST, Role.RECEPTION})
MANAGERS: frozenset[Role] = frozenset({Role.OWNER, Role.ADMIN})
