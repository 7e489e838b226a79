"""Where a validation problem sits in a YAML file, and how it reads: `path:line:col: message`.

Shared by every validated file (layouts, decks, site files), so each reports its errors the
same way: the exact key or value, and a "did you mean" for a misspelt key. `YamlLoader`
reads and parses one such file; each kind of file subclasses it with its own model.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic_core import ErrorDetails
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

Loc = tuple[int | str, ...]
UNION_TAGS = ("panel", "split")  # pydantic puts the union member's tag into error paths
MAX_BYTES = 1_000_000

LINE_BREAK = re.compile("\r\n|[\n\r]")  # YAML's line breaks: an editor's lines too


class StrictModel(BaseModel):
    """Frozen, and an unknown key is an error: a typo in a file is reported, never ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


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


class YamlLoader:
    """Reads one YAML file into `root`, collecting every problem with its position."""

    what = "YAML file"  # what the file is, in messages about the file as a whole

    def __init__(self, path: str | Path, text: str | None = None) -> None:
        self.path = str(path)
        self.text = text
        self.errors: list[LayoutError] = []
        self.root: Any = None

    def _error(self, line: int, col: int, message: str) -> None:
        self.errors.append(LayoutError(self.path, line + 1, col + 1, message))

    def _read(self) -> str | None:
        if self.text is not None:
            return self.text
        try:
            raw = Path(self.path).read_bytes()
        except OSError as error:
            self._error(0, 0, f"cannot read the file: {error.strerror or error}")
            return None
        if len(raw) > MAX_BYTES:
            self._error(0, 0, f"the file is too large ({len(raw):,} bytes; limit {MAX_BYTES:,})")
            return None
        if b"\0" in raw:
            self._error(0, 0, f"the file is binary, not a YAML {self.what}")
            return None
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as error:
            self._error(0, 0, f"the file is not UTF-8 text (byte {error.start})")
            return None

    def parse(self) -> Any:
        """The file's YAML with line numbers (None, with an error, if it cannot be read)."""
        text = self._read()
        if text is None:
            return None
        try:
            return YAML(typ="rt").load(text)
        except MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            problem = error.problem or error.context or "invalid YAML"
            self._error(mark.line if mark else 0, mark.column if mark else 0, f"YAML: {problem}")
        except ReaderError as error:  # a character YAML forbids (control codes, ...)
            lines = LINE_BREAK.split(text[: error.position])
            line, col = len(lines) - 1, len(lines[-1])
            code = error.character if isinstance(error.character, int) else ord(error.character)
            self._error(line, col, f"YAML: character U+{code:04X} is not allowed here")
        except YAMLError as error:  # anything else the parser refuses, still in plain words
            self._error(0, 0, f"YAML: {error}")
        return None

    def report(self, loc: Loc, item: ErrorDetails, model: type[BaseModel]) -> None:
        """One pydantic error at its key (unknown key) or value, worded for `model`."""
        if item["type"] == "extra_forbidden":
            line, col = key_position(self.root, loc)
        else:
            line, col = node_at(self.root, loc)[1:3]
        self._error(line, col, error_message(item, model))
