"""Read replicas: search, reports and benchmarking read from ``DATABASE_REPLICA_URL`` when set.

Writes always go to the primary (``default``). Reads go to the replica only on the read paths
that ask for it, through either

* ``replica_reads()`` — a context manager (also usable as a decorator) under which the router
  sends every read to the replica; used around eager selectors (project search, indicator
  rankings, report building) and read-only views, or
* ``on_replica(queryset)`` — the explicit ``.using(...)`` form for a single queryset.

Both fall back to the primary when no replica is configured, and also inside a transaction on
the primary (``transaction.atomic``): a read that follows a write in the same transaction must
see that write, which a replica lagging behind cannot promise. Everything else — sessions,
permissions, the job queue, forms that write — reads from the primary as before.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet

REPLICA = "replica"

_replica_reads: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "samverkan_replica_reads", default=False
)

Q = TypeVar("Q", bound=QuerySet[Any])


def replica_configured() -> bool:
    return REPLICA in connections.settings


def read_alias() -> str:
    """The alias a read on a replica path should use right now."""
    if not replica_configured() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return REPLICA


@contextmanager
def replica_reads() -> Iterator[str]:
    """Send reads to the replica inside this block (the primary when there is none)."""
    token = _replica_reads.set(True)
    try:
        yield read_alias()
    finally:
        _replica_reads.reset(token)


def read_connection() -> Any:
    """The connection a raw-SQL read should use here: the replica inside ``replica_reads()``."""
    return connections[read_alias() if _replica_reads.get() else DEFAULT_DB_ALIAS]


def on_replica(queryset: Q) -> Q:
    """``queryset.using(<replica or primary>)`` for a read path."""
    return queryset.using(read_alias())


class ReplicaRouter:
    """Writes and migrations on the primary; reads on the replica inside ``replica_reads()``."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if _replica_reads.get():
            return read_alias()
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        # The replica holds the primary's rows, so objects read from either may be related.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS
