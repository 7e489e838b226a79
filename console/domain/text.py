"""Diacritics-insensitive text matching for Vietnamese: "dong xoai" finds "Đồng Xoài".

NFD splits most accented letters into a base letter and combining marks, which are
dropped; đ/Đ is a letter of its own (it has no decomposition), so it is mapped to d.
"""

from __future__ import annotations

import unicodedata

_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ı": "i", "ł": "l", "Ł": "l"})


def fold(text: str) -> str:
    """Lower-case, without diacritics, with runs of whitespace made single spaces."""
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def fold_terms(query: str) -> list[str]:
    """A search box's words, folded: every one must occur (in any order)."""
    return [term for term in fold(query).split(" ") if term]
