"""THE declaration of the single table's keys and indexes.

The Database component creates the table from this module and the DynamoDB adapters
build their keys with it, so the two cannot drift. No boto3 here: the Pulumi program
imports it.

Item layout (``pk`` / ``sk``):
- tenant profile          TENANT#<t> / PROFILE
    gsi4 (directory)             TENANTS / <t>                   (``bookingctl tenant list``)
- tenant's web address    TENANTSLUG#<slug> / TENANTSLUG   (unique; a copy of the profile)
- tenant's closures       TENANT#<t> / CLOSURES            (one versioned item)
- professional            TENANT#<t> / PRO#<id>
- treatment               TENANT#<t> / TRT#<id>
- user                    TENANT#<t> / USER#<sub>
- user's index entries    TENANT#<t>#USERINDEX / <field>#<sub>   (name, email, phone, role)
    gsi4 (directory)             TENANT#<t>#USERS#<field> / <normalised value>#<sub>
- booking                 TENANT#<t> / BOOKING#<id>
    gsi1 (tenant calendar)       TENANT#<t>#BOOKINGS / <start utc iso>#<id>
    gsi2 (professional calendar) TENANT#<t>#PRO#<p> / <start utc iso>#<id>
    gsi3 (patient's bookings)    TENANT#<t>#PATIENT#<sub> / <start utc iso>#<id>
- lock cell               LOCK#<t>#<p>#<cell start utc> / LOCK   (attribute_not_exists on write;
                                 expires via TTL once its time is LOCK_RETENTION_DAYS past)
- idempotency record      TENANT#<t>#IDEM#<caller>#<key> / IDEM (expires via TTL)
- notification delivery   TENANT#<t>#DELIVERY#<booking> / <version>#<step>#<audience>
                          (what was emailed or scheduled, once; expires via TTL)

GSIs are eventually consistent: they serve lists and availability, never the
conflict check, which is the lock cells' conditional writes.
"""

from __future__ import annotations

from dataclasses import dataclass

PARTITION_KEY = "pk"
SORT_KEY = "sk"
TTL_ATTRIBUTE = "expiresAt"
# A lock cell expires (``TTL_ATTRIBUTE``) this long after its own time has passed: a
# past cell protects nothing (no booking starts in the past), so the table keeps one
# item per ended booking instead of one per cell. The bookings function's setting
# ``lock_retention_days`` defaults to it.
LOCK_RETENTION_DAYS = 7
# A booking item's sort key is this prefix and the booking id. The item code builds the
# key with it and the notifications function's stream filter selects booking items by it.
BOOKING_SORT_KEY_PREFIX = "BOOKING#"


@dataclass(frozen=True)
class Index:
    name: str
    partition_key: str
    sort_key: str


INDEXES: tuple[Index, ...] = (
    Index("gsi1", "gsi1pk", "gsi1sk"),
    Index("gsi2", "gsi2pk", "gsi2sk"),
    Index("gsi3", "gsi3pk", "gsi3sk"),
    Index("gsi4", "gsi4pk", "gsi4sk"),
)

TENANT_CALENDAR_INDEX = "gsi1"
PROFESSIONAL_CALENDAR_INDEX = "gsi2"
PATIENT_INDEX = "gsi3"
# Who is where: the tenants, and each tenant's users by name, email, phone and role.
DIRECTORY_INDEX = "gsi4"


def key_attributes() -> list[str]:
    """Every attribute used as a key (all strings), for the table definition."""
    names = [PARTITION_KEY, SORT_KEY]
    for index in INDEXES:
        names += [index.partition_key, index.sort_key]
    return names
