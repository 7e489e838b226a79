"""What a camera has recorded (API v1 `/cameras/{id}/recordings`), validated at the boundary.

It lives in the domain so both the source that asks (console.sources.ioc.api) and the
playback model (console.video.playback) read the same checked object; a hostile answer
becomes one `ValueError` in words, never a crash or a timeline that lies.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from console.domain.records import Name, WallTime

LOOK_BACK = timedelta(days=1)  # a tile asks for recordings and bookmarks this far back
MAX_SPANS = 10_000  # a ring of two hours cut every second is 7200; more is garbage


class Span(BaseModel):
    """One stretch of recorded video, `start` < `end`."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    start: WallTime
    end: WallTime

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end <= self.start:
            raise ValueError("a recorded span ends before it starts")
        return self


class Recording(BaseModel):
    """A camera's recordings: spans sorted and merged, so gaps are what lies between them."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    camera: Name
    retention_s: float = Field(ge=0, le=10 * 365 * 86400)
    spans: tuple[Span, ...] = Field(max_length=MAX_SPANS)
    disk_bytes: int = Field(ge=0, default=0)

    @field_validator("spans", mode="after")
    @classmethod
    def _merged(cls, spans: tuple[Span, ...]) -> tuple[Span, ...]:
        merged: list[Span] = []
        for span in sorted(spans, key=lambda s: s.start):
            if merged and span.start <= merged[-1].end:
                last = merged.pop()
                span = Span(start=last.start, end=max(last.end, span.end))
            merged.append(span)
        return tuple(merged)

    @property
    def empty(self) -> bool:
        return not self.spans

    def gaps(self) -> list[tuple[datetime, datetime]]:
        """The holes between spans (camera off, network down): drawn hatched, skipped."""
        return [(a.end, b.start) for a, b in zip(self.spans, self.spans[1:], strict=False)]

    def earliest(self, now: datetime | None = None) -> datetime | None:
        """The oldest moment still on disk: the first span, or the ring's edge if later."""
        if not self.spans:
            return None
        first = self.spans[0].start
        if now is not None and self.retention_s > 0:
            return max(first, now - timedelta(seconds=self.retention_s))
        return first

    def latest(self) -> datetime | None:
        return self.spans[-1].end if self.spans else None


def parse_recording(body: Any, what: str, error_type: type[Exception] = ValueError) -> Recording:
    """The validated recordings of an answer, or `error_type` naming `what` and why."""
    try:
        return Recording.model_validate(body)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        raise error_type(f"{what}: {where + ': ' if where else ''}{first['msg']}") from error
    except (TypeError, ValueError, OverflowError, RecursionError) as error:
        raise error_type(f"{what}: unreadable recordings ({type(error).__name__})") from error
