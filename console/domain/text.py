"""Text from outside: diacritics-insensitive matching ("dong xoai" finds "Đồng Xoài"),
Unicode that can always be encoded, and one readable line for a status bar.

NFD splits most accented letters into a base letter and combining marks, which are
dropped; đ/Đ is a letter of its own (it has no decomposition), so it is mapped to d.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ı": "i", "ł": "l", "Ł": "l"})


# Every combining mark of the Basic Multilingual Plane, removed in one C-level pass
# (a Python loop over characters cost 60 % of a 5,000-incident load).
_MARKS = {code: None for code in range(0x10000) if unicodedata.combining(chr(code))}


def fold(text: str) -> str:
    """Lower-case, without diacritics, with runs of whitespace made single spaces."""
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA))
    return " ".join(decomposed.translate(_MARKS).casefold().split())


def fold_terms(query: str) -> list[str]:
    """A search box's words, folded: every one must occur (in any order)."""
    return [term for term in fold(query).split(" ") if term]


# A surrogate can only come from a JSON escape such as "\ud800" (raw UTF-8 cannot hold
# one); a lone one cannot be encoded, so it would fail later, far from where it came in.
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Bidirectional overrides and isolates, other controls: they reorder or hide what is read.
_UNREADABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]+")


def may_hold_surrogates(raw: str | bytes) -> bool:
    """Cheap test of a JSON text before parsing: could it decode to a lone surrogate?"""
    text = raw.decode("ascii", "ignore") if isinstance(raw, bytes) else raw
    return _ESCAPED_SURROGATE.search(text) is not None


def without_surrogates(value: Any) -> Any:
    """Parsed JSON with every lone surrogate replaced by U+FFFD (the rest as it was)."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [without_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {without_surrogates(k): without_surrogates(v) for k, v in value.items()}
    return value


def one_line(text: str, limit: int = 300) -> str:
    """Outside text for a status line: controls and bidi overrides become spaces, runs of
    space one, and a long text ends in "…"."""
    flat = " ".join(_UNREADABLE.sub(" ", _SURROGATE.sub("\ufffd", text)).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def parse_json(raw: str | bytes) -> Any:
    """`json.loads` whose strings can always be encoded (raises what json.loads raises,
    or RecursionError for nesting too deep to walk)."""
    value = json.loads(raw)
    return without_surrogates(value) if may_hold_surrogates(raw) else value
