"""One DynamoDB request at a time in the emulator.

moto's DynamoDB is not thread-safe: ``TransactWriteItems`` deep-copies the tables it
touches while another request thread writes to them, and answers 500 ("dictionary
changed size during iteration"). Fifty clients racing for one slot hit it. DynamoDB
itself is linearizable per item, so serializing the emulator's DynamoDB (and Streams)
requests keeps every answer right and costs little: moto runs under one interpreter
lock anyway. Wrap moto's WSGI application with :class:`SerializedDynamoDB`.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterable
from typing import Any

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
DYNAMODB_TARGETS = ("DynamoDB_20120810.", "DynamoDBStreams_20120810.")


class SerializedDynamoDB:
    """WSGI middleware: DynamoDB requests one at a time, everything else untouched."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not str(environ.get("HTTP_X_AMZ_TARGET", "")).startswith(DYNAMODB_TARGETS):
            return self.app(environ, start_response)
        with self._lock:
            # The whole answer is produced inside the lock (moto may build it lazily).
            return list(self.app(environ, start_response))


_transaction = threading.local()


class _OneBackupPerTable:
    """Stands in for the ``copy`` module inside moto's DynamoDB models: inside a
    transaction on this thread, a table is deep-copied once and the copy reused."""

    copy = staticmethod(copy.copy)

    @staticmethod
    def deepcopy(value: Any, memo: Any = None) -> Any:
        from moto.dynamodb.models.table import Table

        backups: dict[int, tuple[Any, Any]] | None = getattr(_transaction, "backups", None)
        if backups is None or not isinstance(value, Table):
            return copy.deepcopy(value, memo)
        if id(value) not in backups:
            # The original is kept alive with its copy, so its id stays its own.
            backups[id(value)] = (value, copy.deepcopy(value, memo))
        return backups[id(value)][1]


def back_up_each_table_once() -> None:
    """Make moto's ``TransactWriteItems`` back a table up once, not once per action.

    Before a transaction moto deep-copies the table (items, indexes, stream records)
    for every action that names it, all before the first action runs: a booking (its
    lock cells, the booking and its idempotency record) copied the same unchanged table
    about fifteen times, so each booking got slower as the table grew. Those backups
    are identical, so one per table per transaction is the same rollback. The reuse is
    per thread and per transaction, so concurrent callers never share a backup.
    """
    from moto.dynamodb import models

    backend = models.DynamoDBBackend
    if getattr(backend.transact_write_items, "backs_up_once", False):
        return
    transact_write_items = backend.transact_write_items
    vars(models)["copy"] = _OneBackupPerTable  # what moto's models module calls ``copy``

    def backing_up_once(self: Any, transact_items: list[dict[str, Any]]) -> None:
        _transaction.backups = {}
        try:
            transact_write_items(self, transact_items)
        finally:
            _transaction.backups = None

    backing_up_once.backs_up_once = True  # type: ignore[attr-defined]
    backend.transact_write_items = backing_up_once  # type: ignore[method-assign]


def keep_stream_shards_through_rollbacks() -> None:
    """A cancelled ``TransactWriteItems`` leaves its table's stream as it was: the same
    shard object, holding the records it held before.

    moto rolls a transaction back by putting back the copy of each table taken before it,
    stream shard included. The records the cancelled transaction had written stayed in
    the discarded shard, and a shard iterator taken before (the stream pump's, within one
    poll) kept reading it: it delivered the record of a booking that was never committed.
    moto numbers records by their position in the shard, so the next committed record
    took the same sequence number, and the pump, moving on from the one it had
    delivered, skipped it (the soak's books showed one confirmation of a booking no
    client knew, one confirmation missing). Now, after a rollback, each table keeps its
    original shard, cut back to the records it had before the transaction.
    """
    from moto.dynamodb import models

    backend = models.DynamoDBBackend
    if getattr(backend.transact_write_items, "keeps_stream_shards", False):
        return
    transact_write_items = backend.transact_write_items

    def keeping_stream_shards(self: Any, transact_items: list[dict[str, Any]]) -> None:
        before = {
            name: (table.stream_shard, len(table.stream_shard.items))
            for name, table in self.tables.items()
            if table.stream_shard is not None
        }
        try:
            transact_write_items(self, transact_items)
        except Exception:
            for name, (shard, length) in before.items():
                restored = self.tables.get(name)
                if restored is not None and restored.stream_shard is not shard:
                    del shard.items[length:]
                    shard.table = restored
                    restored.stream_shard = shard
            raise

    keeping_stream_shards.keeps_stream_shards = True  # type: ignore[attr-defined]
    backend.transact_write_items = keeping_stream_shards  # type: ignore[method-assign]
