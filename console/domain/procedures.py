"""Standard operating procedures: the steps every operator follows for one kind of incident.

A procedures file gives, per category and priority, numbered steps (text in each UI
language, who does it, an optional due time, mandatory or not, and an action a step may
trigger). Progress is not kept on this console: ticking a step sends an ordinary note
("[SOP 2/5] Close the road") through the outbox, so the backend stores who did it and
when, every console and the next shift see the same checklist, and a system that
cannot take notes keeps them on this console like any other note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from console.domain.records import PRIORITY_RANK, Category, Incident, IncidentNote, Priority


def _language(code: str) -> str:
    if not re.fullmatch(r"[a-z]{2}", code):
        raise ValueError(
            f"'{code[:40]}' is not a language code such as en or vi"
            " (a text with a comma in {en: ..., vi: ...} needs quotes)"
        )
    return code


LanguageCode = Annotated[str, AfterValidator(_language)]
StepText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
FALLBACK_LANGUAGE = "en"

_DONE = re.compile(r"^\[SOP (\d{1,2})/(\d{1,2})\]")
_SKIPPED = re.compile(r"^\[SOP skipped ([\d, ]{1,80})\]")


class StrictModel(BaseModel):
    """Frozen, and an unknown key is an error: a typo in the file is reported, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Who(StrEnum):
    OPERATOR = "operator"
    UNIT = "unit"  # the field unit (police, fire, the works team), reported by radio
    LEADER = "leader"


class StepAction(StrEnum):
    SHOW_CAMERAS = "show_cameras"  # the wall centres on the incident, its nearest cameras play
    CALL_UNIT = "call_unit"  # the call is recorded as the step's note


def localized(texts: Mapping[str, str], language: str) -> str:
    """The text in `language`, else English, else the first one given."""
    return texts.get(language) or texts.get(FALLBACK_LANGUAGE) or next(iter(texts.values()))


class Step(StrictModel):
    text: dict[LanguageCode, StepText] = Field(min_length=1, description="{en: ..., vi: ...}")
    who: Who = Who.OPERATOR
    due_min: int | None = Field(None, ge=1, le=10_080, description="minutes after the report")
    mandatory: bool = True
    action: StepAction | None = None
    unit: StepText | None = Field(None, description="who is called, for action: call_unit")

    @model_validator(mode="after")
    def _unit_for_a_call(self) -> Step:
        if self.action is StepAction.CALL_UNIT and not self.unit:
            raise ValueError("a step with action 'call_unit' needs 'unit': who is called")
        return self


class Procedure(StrictModel):
    name: dict[LanguageCode, StepText] = Field(min_length=1)
    categories: tuple[Category, ...] = Field(min_length=1)
    priority_at_least: Priority = Priority.LOW
    steps: tuple[Step, ...] = Field(min_length=1, max_length=30)

    def matches(self, incident: Incident) -> bool:
        return incident.category in self.categories and (
            PRIORITY_RANK[incident.priority] >= PRIORITY_RANK[self.priority_at_least]
        )

    def title(self, language: str) -> str:
        return localized(self.name, language)

    def step_title(self, step: int, language: str) -> str:
        """ "2. Call the traffic police": a step as the checklist and the handover list it."""
        return f"{step}. {localized(self.steps[step - 1].text, language)}"


class Procedures(StrictModel):
    version: int = Field(1, ge=1, le=1)
    procedures: tuple[Procedure, ...] = Field(min_length=1, max_length=500)

    @field_validator("procedures")
    @classmethod
    def _one_per_category_and_priority(
        cls, procedures: tuple[Procedure, ...]
    ) -> tuple[Procedure, ...]:
        seen: set[tuple[Category, Priority]] = set()
        for procedure in procedures:
            for category in procedure.categories:
                key = (category, procedure.priority_at_least)
                if key in seen:
                    raise ValueError(
                        f"two procedures for {category.value} from priority "
                        f"{procedure.priority_at_least.value}: which one applies is unclear"
                    )
                seen.add(key)
        return procedures

    def for_incident(self, incident: Incident) -> Procedure | None:
        """The most specific match: the highest `priority_at_least` the incident reaches."""
        matching = [p for p in self.procedures if p.matches(incident)]
        if not matching:
            return None
        return max(matching, key=lambda p: PRIORITY_RANK[p.priority_at_least])


@dataclass(frozen=True)
class Progress:
    """Where an incident stands in its procedure, read from its notes."""

    procedure: Procedure
    done: Mapping[int, IncidentNote]  # step number (1-based) -> the note that ticked it
    skipped: frozenset[int]  # steps left open on purpose, with a reason, at resolution

    @property
    def total(self) -> int:
        return len(self.procedure.steps)

    @property
    def label(self) -> str:
        return f"{len(self.done)}/{self.total}"

    def open_steps(self) -> list[int]:
        return [n for n in range(1, self.total + 1) if n not in self.done]

    def open_mandatory(self) -> list[int]:
        steps = self.procedure.steps
        return [n for n in self.open_steps() if steps[n - 1].mandatory and n not in self.skipped]

    def due_at(self, step: int, created_at: datetime) -> datetime | None:
        minutes = self.procedure.steps[step - 1].due_min
        return None if minutes is None else created_at + timedelta(minutes=minutes)


def progress(procedure: Procedure, notes: Iterable[IncidentNote]) -> Progress:
    """Steps ticked and skipped, from the incident's notes (anyone's, any console's)."""
    done: dict[int, IncidentNote] = {}
    skipped: set[int] = set()
    total = len(procedure.steps)
    for note in notes:
        ticked = _DONE.match(note.text)
        if ticked and int(ticked.group(2)) == total and 1 <= int(ticked.group(1)) <= total:
            done.setdefault(int(ticked.group(1)), note)
            continue
        left = _SKIPPED.match(note.text)
        if left:
            numbers = (part.strip() for part in left.group(1).split(","))
            skipped.update(int(n) for n in numbers if n.isdigit() and 1 <= int(n) <= total)
    return Progress(procedure, done, frozenset(skipped))


def step_note(step: int, procedure: Procedure, language: str) -> str:
    """The note that ticks a step; a call names the unit called."""
    item = procedure.steps[step - 1]
    text = localized(item.text, language)
    if item.action is StepAction.CALL_UNIT and item.unit:
        text = f"{text} — {item.unit}"
    return f"[SOP {step}/{len(procedure.steps)}] {text}"


def skip_note(steps: Iterable[int], reason: str) -> str:
    """The note that resolves with mandatory steps open: which ones, and why."""
    return f"[SOP skipped {', '.join(str(n) for n in steps)}] {reason.strip()}"


def is_skip_note(text: str) -> bool:
    """A note that resolved an incident with mandatory steps left, and said why."""
    return _SKIPPED.match(text) is not None
