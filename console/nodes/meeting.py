"""Meetings over the broker: the presenter's slide, freeze, blank and ink, and the deck.

A seat validates what it is sent as a wall node validates a command: a payload over
`MAX_PAYLOAD`, of an unknown shape or about another meeting is dropped with one log line,
and a state whose `seq` is not newer than the one shown never wins. Sizes are bounded so
that the largest valid state still fits in one message: ink is thinned to fit, never cut.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Sequence
from typing import Annotated, TypeVar

from pydantic import Field, model_validator

from console.nodes.messages import MAX_PAYLOAD, Message, Text, decode, encode

log = logging.getLogger(__name__)

MEETING_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")  # one topic level
MeetingName = Annotated[str, Field(pattern=MEETING_NAME.pattern)]
Digest = Annotated[str, Field(pattern=r"^[0-9a-f]{16}$")]
Session = Annotated[str, Field(pattern=r"^[0-9a-f]{8,32}$")]
Unit = Annotated[float, Field(ge=0.0, le=1.0)]  # a fraction of the slide's width or height
Colour = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]

MAX_DECK_BYTES = 60 * 1024  # the deck file; JSON escaping must still fit MAX_PAYLOAD
MAX_SLIDES = 200  # as a deck allows
MAX_STROKES = 100
MAX_STROKE_POINTS = 500
MAX_INK_POINTS = 2500  # at ≤ 16 bytes a point (4 decimals) the ink stays under 48 KB
DECIMALS = 4  # a ten-thousandth of a 4K screen is under a pixel


class InkStroke(Message):
    """One pen or highlighter stroke, in slide-relative coordinates."""

    points: list[tuple[Unit, Unit]] = Field(min_length=1, max_length=MAX_STROKE_POINTS)
    colour: Colour
    width: float = Field(gt=0.0, le=0.1, description="a fraction of the slide's height")
    opacity: float = Field(1.0, ge=0.05, le=1.0)


class MeetingState(Message):
    """What every seat shows: retained, the newest `seq` wins.

    `seq` grows with every change; a presenter that starts again continues above the
    retained one, so seats need not be told that the presenter changed laptops."""

    meeting: MeetingName
    seq: int = Field(ge=1, le=2**53)
    presenter: Session  # one presenting session, to tell its own echo from another's
    deck: Digest  # the deck the slide numbers refer to
    title: Text
    slide: int = Field(ge=0, lt=MAX_SLIDES)
    slides: int = Field(ge=1, le=MAX_SLIDES)
    frozen: bool = False
    blank: bool = False
    ink: list[InkStroke] = Field(default_factory=list, max_length=MAX_STROKES)
    sent_at: float = Field(default_factory=time.time)

    @model_validator(mode="after")
    def _consistent(self) -> MeetingState:
        if self.slide >= self.slides:
            raise ValueError(f"slide {self.slide} of a deck of {self.slides}")
        if sum(len(stroke.points) for stroke in self.ink) > MAX_INK_POINTS:
            raise ValueError(f"more than {MAX_INK_POINTS} ink points")
        return self

    def same_view(self, other: MeetingState | None) -> bool:
        """Whether `other` shows the same thing (its seq and time aside)."""
        ignore = {"seq", "sent_at"}
        return other is not None and self.model_dump(exclude=ignore) == other.model_dump(
            exclude=ignore
        )


class MeetingDeck(Message):
    """The deck file's text, so a seat needs no copy of it; retained."""

    meeting: MeetingName
    digest: Digest
    text: str = Field(max_length=MAX_DECK_BYTES)

    @model_validator(mode="after")
    def _digest_matches(self) -> MeetingDeck:
        if digest_of(self.text) != self.digest:
            raise ValueError("the digest does not match the text")
        return self


class DeckTooLarge(ValueError):
    """The deck cannot be shared in one message."""


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def deck_message(meeting: str, text: str) -> MeetingDeck:
    """The deck message for `text`; DeckTooLarge when it would not fit in one message."""
    size = len(text.encode("utf-8"))
    if size > MAX_DECK_BYTES:
        raise DeckTooLarge(
            f"the deck is {size:,} bytes; a meeting shares decks of at most "
            f"{MAX_DECK_BYTES:,} bytes (split it, or shorten its notes)"
        )
    message = MeetingDeck(meeting=meeting, digest=digest_of(text), text=text)
    if len(encode(message)) > MAX_PAYLOAD:
        raise DeckTooLarge(
            f"the deck's text takes more than {MAX_PAYLOAD:,} bytes once escaped for the "
            "broker (many quotes, tabs or control characters): shorten it"
        )
    return message


M = TypeVar("M", MeetingState, MeetingDeck)


def decode_meeting(model: type[M], payload: bytes, topic: str, meeting: str) -> M | None:
    """The message, or None (logged) when it is invalid or about another meeting."""
    message = decode(model, payload, topic)
    if message is not None and message.meeting != meeting:
        log.warning("dropped %s: it is about the meeting %r", topic, message.meeting)
        return None
    return message


# (points, colour, width, opacity): what the presenter's annotation store holds
RawStroke = tuple[Sequence[tuple[float, float]], str, float, float]


def _thin(points: Sequence[tuple[float, float]], count: int) -> list[tuple[float, float]]:
    """At most `count` (≥ 2) points, evenly spaced, keeping both ends."""
    if len(points) <= count:
        return list(points)
    step = (len(points) - 1) / (count - 1)
    return [points[round(i * step)] for i in range(count)]


def _unit(value: float) -> float:
    return round(min(max(value, 0.0), 1.0), DECIMALS)


def fit_ink(strokes: Sequence[RawStroke]) -> list[InkStroke]:
    """The newest strokes, thinned evenly so the state message stays within its bounds."""
    kept = [s for s in strokes if s[0]][-MAX_STROKES:]
    lengths = [min(len(points), MAX_STROKE_POINTS) for points, *_ in kept]
    total = sum(lengths)
    budget = MAX_INK_POINTS - 2 * len(kept)  # each stroke keeps at least its two ends
    if total > MAX_INK_POINTS:
        lengths = [max(2, length * budget // total) for length in lengths]
    return [
        InkStroke(
            points=[(_unit(x), _unit(y)) for x, y in _thin(points, length)],
            colour=colour,
            width=min(max(width, 0.0005), 0.1),
            opacity=min(max(opacity, 0.05), 1.0),
        )
        for (points, colour, width, opacity), length in zip(kept, lengths, strict=True)
    ]
