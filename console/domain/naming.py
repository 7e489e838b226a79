"""Record ids namespaced by connection: `province/INC-1` and `district/INC-1` never collide.

A site's connections each number their records their own way. Inside the console a
record's id is `CONNECTION/LOCAL` (connection names are slugs without '/', so the split
is unambiguous); the operator reads the local part. A reference written in a layout
(`camera: cam-01`) finds the record whose local id it is when exactly one connection
has one, and `province/cam-01` names it exactly when several do.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Mapping
from typing import TypeVar, cast

from console.domain.records import OwnedRecord

log = logging.getLogger(__name__)
SEP = "/"
R = TypeVar("R", bound=OwnedRecord)


def qualify(connection: str, local: str) -> str:
    return f"{connection}{SEP}{local}" if connection else local


def connection_of(key: str, connections: Iterable[str] = ()) -> str:
    """The connection a key belongs to ("" for a key of no connection).

    With `connections` given, only those names count (a local id may itself hold '/')."""
    head, sep, _ = key.partition(SEP)
    if not sep:
        return ""
    names = set(connections)
    return head if not names or head in names else ""


def local_of(key: str, connection: str) -> str:
    return key.removeprefix(f"{connection}{SEP}") if connection else key


def replaced(held: Mapping[str, R], records: Iterable[R], connection: str | None) -> dict[str, R]:
    """`held` (by id) with the records of `connection` (all of them when None) replaced by
    `records`: one connection's reload never drops another's."""
    kept = [] if connection is None else [r for r in held.values() if r.connection != connection]
    return {record.id: record for record in [*kept, *records]}


def tagged(record: R, connection: str) -> R:
    """The record as the console holds it: id namespaced, connection set (whatever the
    wire said about either)."""
    local = record.local_id if record.connection == connection else record.id
    # model_construct, not model_copy: the record is valid already, and a load tags
    # thousands (model_copy cost 37 us each, a third of a 5,000-incident load).
    fields = {**record.__dict__, "id": qualify(connection, local), "connection": connection}
    made = type(record).model_construct(record.model_fields_set | {"id", "connection"}, **fields)
    return cast(R, made)


class Names:
    """Resolves references to keys: exact, else the one key with that local id."""

    def __init__(self) -> None:
        self._by_local: dict[str, list[str]] = {}
        self._keys: set[str] = set()
        self._ambiguous: set[str] = set()  # references already said to be ambiguous

    def reset(self, records: Collection[OwnedRecord]) -> None:
        """Index exactly these records (a store's whole content after a replace)."""
        self._by_local.clear()
        self._keys = {record.id for record in records}
        for record in records:
            self._by_local.setdefault(record.local_id, []).append(record.id)

    def matches(self, ref: str) -> list[str]:
        """Every key `ref` may mean: itself if held; for a bare reference (no '/'), every
        key with that local id. A qualified one (`province/cam-01`) means that key only,
        so no connection can answer for another by naming a record `province/...`."""
        if ref in self._keys:
            return [ref]
        if SEP in ref:
            return []
        return list(self._by_local.get(ref, ()))

    def resolve(self, ref: str) -> str | None:
        """The one key `ref` names, or None (unknown, or ambiguous between connections:
        said once in the log, with what to write instead)."""
        found = self.matches(ref)
        if len(found) > 1 and ref not in self._ambiguous:
            self._ambiguous.add(ref)
            log.warning(
                "'%s' is in several connections (%s): name one, e.g. '%s'",
                ref,
                ", ".join(sorted(found)),
                sorted(found)[0],
            )
        return found[0] if len(found) == 1 else None
