"""The items that find tenants and users without a Scan, and a tenant's closures.

- A clinic's web address is unique: its item ``TENANTSLUG#<slug>`` is claimed with a
  condition in the same transaction as the profile, and holds a copy of the profile,
  so a lookup by web address is one GetItem.
- Each user has one index entry per searchable field (name, email, phone) and one for
  their role, in the partition ``TENANT#<t>#USERINDEX``, keyed in the directory index
  (gsi4) by the field's normalised value: a search is one Query per page, and the
  tenant's Owners are one Query. An entry holds a copy of the user, written in the same
  transaction as the user's record.
- A tenant's closures are one item beside its profile.
"""

from __future__ import annotations

from booking.adapters import dynamodb_items as items
from booking.adapters import table_design
from booking.adapters.dynamodb_table import Item
from booking.domain.models import Closures, Tenant, User
from booking.domain.user_search import UserSearchField, normalised

WEB_ADDRESS_PREFIX = "TENANTSLUG#"
WEB_ADDRESS_SK = "TENANTSLUG"
CLOSURES_SK = "CLOSURES"
ROLE_FIELD = "role"
# Every index entry a user has, by field: the searchable ones and the role.
USER_INDEX_FIELDS: tuple[str, ...] = (*(field.value for field in UserSearchField), ROLE_FIELD)
DIRECTORY = items.INDEX_BY_NAME[table_design.DIRECTORY_INDEX]


# --- web addresses ------------------------------------------------------------------


def web_address_key(web_address: str) -> Item:
    return items.key_of(WEB_ADDRESS_PREFIX + web_address, WEB_ADDRESS_SK)


def web_address_item(tenant: Tenant) -> Item:
    assert tenant.web_address is not None, "only a tenant with a web address claims one"
    return items.model_item(
        tenant, "tenantWebAddress", WEB_ADDRESS_PREFIX + tenant.web_address, WEB_ADDRESS_SK
    )


# --- closures -----------------------------------------------------------------------


def closures_key(tenant_id: str) -> Item:
    return items.key_of(items.tenant_pk(tenant_id), CLOSURES_SK)


def closures_item(closures: Closures) -> Item:
    return items.model_item(closures, "closures", items.tenant_pk(closures.tenant_id), CLOSURES_SK)


# --- users' index entries -------------------------------------------------------------


def user_index_pk(tenant_id: str) -> str:
    return f"TENANT#{tenant_id}#USERINDEX"


def user_index_key(tenant_id: str, field: str, user_id: str) -> Item:
    return items.key_of(user_index_pk(tenant_id), f"{field}#{user_id}")


def directory_pk(tenant_id: str, field: str) -> str:
    """The directory-index partition of one field of a tenant's users."""
    return f"TENANT#{tenant_id}#USERS#{field}"


def indexed_values(user: User) -> dict[str, str]:
    """The value each index entry of ``user`` is found by (none for an empty field)."""
    values = {ROLE_FIELD: user.role.value}
    for field in UserSearchField:
        raw = getattr(user, field.value)
        value = normalised(field, raw) if raw else ""
        if value:
            values[field.value] = value
    return values


def user_index_items(user: User) -> list[Item]:
    return [
        items.model_item(
            user,
            "userIndex",
            user_index_pk(user.tenant_id),
            f"{field}#{user.id}",
            **{
                DIRECTORY.partition_key: directory_pk(user.tenant_id, field),
                DIRECTORY.sort_key: f"{value}#{user.id}",
            },
        )
        for field, value in indexed_values(user).items()
    ]
