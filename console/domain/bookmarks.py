"""Bookmarks: a moment or a span of a camera's video, with a note, maybe an incident's.

One checked shape for the three places a bookmark passes: the operator's dialog (the
draft), the durable queue (the draft as JSON, until the backend takes it) and the
backend's answers (the stored bookmark). The note is an operator's plain text: controls
and bidirectional overrides are refused here, so no layer downstream has to guess how
to show it, and a refusal is one `ValueError` in words.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from console.domain.records import Name, WallTime

MAX_NOTE = 500
# C0/C1 controls (but tab and line feed), lone surrogates, bidi overrides and isolates:
# they hide or reorder what a supervisor reads back; right-to-left letters are fine.
_HOSTILE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def _note(value: str) -> str:
    """The note trimmed, 1 to MAX_NOTE characters of plain text, or a refusal."""
    text = value.replace("\r\n", "\n").strip()
    if not text:
        raise ValueError("a bookmark needs a note")
    if len(text) > MAX_NOTE:
        raise ValueError(f"a note may hold at most {MAX_NOTE} characters, not {len(text)}")
    if _HOSTILE.search(text):
        raise ValueError("a note may not hold control characters or direction overrides")
    return text


Note = Annotated[str, AfterValidator(_note)]


class BookmarkDraft(BaseModel):
    """What an operator marks (the body of the POST): `end` only for a span."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    start: WallTime
    end: WallTime | None = None
    note: Note
    incident_id: Name | None = None

    @model_validator(mode="after")
    def _ordered(self) -> BookmarkDraft:
        if self.end is not None and self.end <= self.start:
            raise ValueError("a bookmarked span must end after it starts")
        return self


class Bookmark(BookmarkDraft):
    """A bookmark as the backend keeps it."""

    id: Name
    camera: Name
    created_at: WallTime
    author: str = Field(default="", max_length=256)

    def overlaps(self, start: datetime, end: datetime) -> bool:
        """Whether any of it lies in [start, end] (a moment is a span of no length)."""
        return self.start <= end and (self.end or self.start) >= start
