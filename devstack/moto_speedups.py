"""Make moto's ``TransactWriteItems`` cost what one transaction should.

moto backs up the tables a transaction touches with ``copy.deepcopy`` so it can roll
back, but it does so once per *action* (a booking of 12 lock cells deep-copies the
whole table 14 times), and the copy includes every record the table's stream ever
had. On a table with a thousand items one booking took over two seconds, and fifty
racing clients timed out. Two changes, same results:

- within one ``transact_write_items`` call each table is copied once (the copy the
  loop made for the first action is the one it would make again);
- a stream shard copies its list of records, not the records: a record never changes
  once written, and a rolled-back transaction still loses the records it added.

Applied by ``devstack.emulator.Emulator.start``; idempotent.
"""

from __future__ import annotations

import copy
import threading
from typing import Any

_APPLIED = "_devstack_copies_each_table_once"


# The copies of the transaction running on this thread (absent outside one).
_transaction = threading.local()


class _CopyEachTableOnce:
    """Stands in for the ``copy`` module inside moto's DynamoDB models: while this
    thread runs a transaction, ``deepcopy`` of a ``Table`` is made once; everything
    else (other threads, other values) is ``copy``'s own."""

    def __init__(self, table_type: type) -> None:
        self._table_type = table_type

    def deepcopy(self, value: Any, memo: dict[int, Any] | None = None) -> Any:
        copies: dict[int, tuple[Any, Any]] | None = getattr(_transaction, "copies", None)
        if copies is None or not isinstance(value, self._table_type):
            return copy.deepcopy(value, memo)
        known = copies.get(id(value))
        if known is None or known[0] is not value:
            known = (value, copy.deepcopy(value, memo))
            copies[id(value)] = known
        return known[1]

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)


def _copy_shard(shard: Any, memo: dict[int, Any]) -> Any:
    clone = object.__new__(type(shard))
    memo[id(shard)] = clone
    clone.__dict__.update(shard.__dict__)
    clone.table = copy.deepcopy(shard.table, memo)
    clone.items = list(shard.items)
    return clone


def apply() -> None:
    from moto.dynamodb import models as dynamodb_models
    from moto.dynamodb.models.table import StreamShard, Table

    backend_type = dynamodb_models.DynamoDBBackend
    if getattr(backend_type.transact_write_items, _APPLIED, False):
        return
    original = backend_type.transact_write_items

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        _transaction.copies = {}
        try:
            original(self, transact_items)
        finally:
            del _transaction.copies

    setattr(dynamodb_models, "copy", _CopyEachTableOnce(Table))  # noqa: B010 - moto does not export it
    setattr(transact_write_items, _APPLIED, True)
    backend_type.transact_write_items = transact_write_items  # type: ignore[method-assign]
    StreamShard.__deepcopy__ = _copy_shard  # type: ignore[attr-defined]
