"""Filtering and ordering incident columns: vectorised, one numpy pass per keystroke.

A sort key is one int64 per row: the sorted column's rank in the high bits and the
age in the low bits, so equal values list newest first and one `argsort` (or a
`searchsorted` for a few new rows) orders the queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from console.domain.queue import QueueColumn
from console.domain.records import Category, IncidentStatus, Priority, Source
from console.domain.text import fold, fold_terms
from console.stores.incident_columns import (
    CATEGORIES,
    PRIORITIES,
    SOURCES,
    STATUSES,
    IncidentColumns,
    Rows,
    now_ms,
)

Mask = npt.NDArray[np.bool_]
Keys = npt.NDArray[np.int64]

_TIME_BITS = 40  # ms span of the tie-breaker: ~34 years from EPOCH; 23 bits left for ranks
_EPOCH_MS = 1_577_836_800_000  # 2020-01-01
_TIME_MAX = (1 << _TIME_BITS) - 1
_TIME_FIELDS = (QueueColumn.CREATED, QueueColumn.DUE)


@dataclass(frozen=True)
class IncidentQuery:
    """What a queue shows: empty sets mean "any"; words must all occur (diacritics ignored)."""

    statuses: frozenset[IncidentStatus] = frozenset()
    priorities: frozenset[Priority] = frozenset()
    categories: frozenset[Category] = frozenset()
    sources: frozenset[Source] = frozenset()
    districts: frozenset[str] = frozenset()
    connections: frozenset[str] = frozenset()  # a panel limited to some of the site's systems
    text: str = ""
    overdue_only: bool = False


def _codes(values: frozenset[object], order: tuple[object, ...]) -> npt.NDArray[np.int8]:
    return np.array([order.index(value) for value in values], np.int8)


def accept(columns: IncidentColumns, query: IncidentQuery, rows: Rows | None = None) -> Mask:
    """Which rows (all, or the given ones) the query shows."""
    n = len(columns)

    def col(array: npt.NDArray[np.generic]) -> npt.NDArray[np.generic]:
        return array[:n] if rows is None else array[rows]

    mask: Mask = np.ones(n if rows is None else len(rows), np.bool_)
    for values, order, array in (
        (query.statuses, STATUSES, columns.status),
        (query.priorities, PRIORITIES, columns.priority),
        (query.categories, CATEGORIES, columns.category),
        (query.sources, SOURCES, columns.source),
    ):
        if values:
            mask &= np.isin(col(array), _codes(frozenset(values), order))
    if query.districts:
        wanted = {fold(district) for district in query.districts}
        codes = [i for i, name in enumerate(columns.districts) if fold(name) in wanted]
        mask &= np.isin(col(columns.district), np.array(codes, np.int32))
    if query.connections:
        codes = [i for i, name in enumerate(columns.connections) if name in query.connections]
        mask &= np.isin(col(columns.connection), np.array(codes, np.int16))
    if query.overdue_only:
        mask &= columns.overdue(rows)
    terms = fold_terms(query.text)
    if terms:
        texts = col(columns.search)
        for term in terms:
            if not mask.any():
                break
            # Only search rows still in: the other filters are cheaper and run first.
            candidates = np.flatnonzero(mask)
            found = np.strings.find(texts[candidates], term.encode("utf-8")) >= 0  # type: ignore[arg-type]
            mask[candidates[~found]] = False
    return mask


@dataclass
class Sorter:
    """Builds sort keys; caches the rank of every title so re-sorting stays cheap."""

    _title_vocab: npt.NDArray[np.bytes_] | None = None
    _title_version: int = -1
    _extra: dict[str, object] = field(default_factory=dict)

    def keys(
        self,
        columns: IncidentColumns,
        sort_field: str,
        rows: Rows,
        descending: bool,
        refresh: bool = True,
    ) -> Keys:
        """int64 keys that order `rows` ascending; `refresh=False` reuses cached ranks."""
        age = _TIME_MAX - np.clip(columns.created[rows] - _EPOCH_MS, 0, _TIME_MAX)
        if sort_field in _TIME_FIELDS:
            values: Keys = np.asarray(getattr(columns, sort_field)[rows], np.int64)
            return -values if descending else values
        primary = self._ranks(columns, sort_field, rows, refresh)
        if descending:
            primary = (1 << 22) - primary
        return (primary.astype(np.int64) << _TIME_BITS) | age

    def _ranks(self, columns: IncidentColumns, sort_field: str, rows: Rows, refresh: bool) -> Keys:
        if sort_field == "title":
            if self._title_vocab is None or (refresh and self._title_version != columns.version):
                self._title_vocab = np.unique(columns.title_key[: len(columns)])
                self._title_version = columns.version
            values = columns.title_key[rows]
            found = np.searchsorted(self._title_vocab, values)
            inside = np.minimum(found, max(len(self._title_vocab) - 1, 0))
            exact = (len(self._title_vocab) > 0) & (self._title_vocab[inside] == values)
            # Unknown titles rank between their neighbours (odd ranks) until the next refresh.
            return np.asarray(found * 2 + np.where(exact, 1, 0), np.int64)
        if sort_field in ("district", "assignee", "connection"):
            names = {
                "district": columns.districts,
                "assignee": columns.assignees,
                "connection": columns.connections,
            }[sort_field]
            order = np.argsort(np.array([fold(name) for name in names] or [""]), kind="stable")
            rank = np.empty(len(order), np.int64)
            rank[order] = np.arange(len(order))
            ranked: Keys = rank[getattr(columns, sort_field)[rows]]
            return ranked
        return np.asarray(getattr(columns, sort_field)[rows], np.int64)


def order(
    columns: IncidentColumns, query: IncidentQuery, sorter: Sorter, sort_field: str, desc: bool
) -> tuple[Rows, Keys]:
    """All rows the query shows, in order, with their sort keys."""
    rows = np.flatnonzero(accept(columns, query)).astype(np.int64)
    keys = sorter.keys(columns, sort_field, rows, desc)
    by = np.argsort(keys, kind="stable")
    return rows[by], keys[by]


__all__ = ["IncidentQuery", "Keys", "Sorter", "accept", "now_ms", "order"]
