"""Where a validation problem sits in a YAML file, and how it reads: `path:line:col: message`.

Shared by every validated file (layouts, decks), so each reports its errors the same way:
the exact key or value, and a "did you mean" for a misspelt key.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails
from ruamel.yaml.comments import CommentedMap, CommentedSeq

Loc = tuple[int | str, ...]
UNION_TAGS = ("panel", "split")  # pydantic puts the union member's tag into error paths


@dataclass(frozen=True)
class LayoutError:
    path: str
    line: int  # 1-based
    column: int  # 1-based
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class LayoutInvalid(Exception):
    def __init__(self, errors: list[LayoutError]) -> None:
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


def node_at(root: Any, loc: Loc) -> tuple[Any, int, int, Any]:
    """The YAML node at `loc` (or its nearest existing parent): node, line, col, parent."""
    node: Any = root
    parent: Any = None
    line, col = (
        (root.lc.line, root.lc.col) if isinstance(root, CommentedMap | CommentedSeq) else (0, 0)
    )
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line, col = node.lc.value(part)
            parent, node = node, node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line, col = node.lc.item(part)
            parent, node = node, node[part]
        elif part in UNION_TAGS:
            continue
        else:
            break
    return node, line, col, parent


def key_position(root: Any, loc: Loc) -> tuple[int, int]:
    """Line and column of the key that `loc` ends with (for an unknown or misspelt key)."""
    parent, line, col, _ = node_at(root, loc[:-1])
    if isinstance(parent, CommentedMap) and loc and loc[-1] in parent:
        line, col = parent.lc.key(loc[-1])
    return line, col


def error_message(error: ErrorDetails, model: type[BaseModel]) -> str:
    """A pydantic error in words, with the closest known key for an unknown one."""
    field = str(error["loc"][-1]) if error["loc"] else ""
    if error["type"] == "extra_forbidden":
        known = list(model.model_fields)
        close = difflib.get_close_matches(field, known, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(known)})"
        return f"unknown key '{field}'{hint}"
    if error["type"] == "missing":
        return f"missing required key '{field}'"
    text = str(error["msg"]).removeprefix("Value error, ")
    return (
        f"{field}: {text}"
        if field and field not in UNION_TAGS and error["type"] != "value_error"
        else text
    )
