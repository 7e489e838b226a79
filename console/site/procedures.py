"""Procedures files (`*.procedures.yaml`): read and validate, each problem at its position.

The layouts' machinery reads the YAML and places every error as `path:line:col: message`;
a broken file is refused as a whole (a half-read checklist would tell an operator that a
mandatory step does not exist).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml.comments import CommentedMap

from console.domain.procedures import Procedure, Procedures, Progress, Step, progress
from console.domain.records import Incident
from console.layout.positions import LayoutError, LayoutInvalid, Loc, YamlLoader

log = logging.getLogger(__name__)

SUFFIX = ".procedures.yaml"
_OWNERS: dict[str, type[BaseModel]] = {"procedures": Procedure, "steps": Step}


def is_procedures_file(path: str | Path) -> bool:
    return str(path).endswith(SUFFIX)


class ProceduresLoader(YamlLoader):
    what = "procedures file"

    def load_procedures(self) -> Procedures:
        self.root = self.parse()
        if not self.errors and not isinstance(self.root, CommentedMap):
            self._error(0, 0, "a procedures file must be a mapping with 'procedures'")
        if self.errors:
            raise LayoutInvalid(self.errors)
        try:
            return Procedures.model_validate(self.root)
        except ValidationError as error:
            items = error.errors()
            for item in items:
                if not _echo(item, items):
                    self._report_item(tuple(item["loc"]), item)
            raise LayoutInvalid(self.errors) from None

    def _report_item(self, loc: Loc, item: ErrorDetails) -> None:
        names = [part for part in loc[:-1] if isinstance(part, str)]
        owner = _OWNERS.get(names[-1], Procedures) if names else Procedures
        self.report(loc, item, owner)


def _echo(item: ErrorDetails, items: list[ErrorDetails]) -> bool:
    """pydantic also calls a list "too short" when its only items were refused: noise."""
    loc = tuple(item["loc"])
    return item["type"] == "too_short" and any(
        len(other["loc"]) > len(loc) and tuple(other["loc"][: len(loc)]) == loc for other in items
    )


def load_procedures(path: str | Path) -> Procedures:
    return ProceduresLoader(path).load_procedures()


def validate_procedures(path: str | Path) -> list[LayoutError]:
    try:
        load_procedures(path)
    except LayoutInvalid as invalid:
        return invalid.errors
    return []


@dataclass(frozen=True)
class ProcedureBook:
    """The site's procedures, or why there are none (said in the queue and the log)."""

    procedures: Procedures | None = None
    problem: str = ""

    def for_incident(self, incident: Incident) -> Procedure | None:
        return None if self.procedures is None else self.procedures.for_incident(incident)

    def progress(self, incident: Incident) -> Progress | None:
        """The incident's place in its procedure (None: no procedure applies)."""
        procedure = self.for_incident(incident)
        return None if procedure is None else progress(procedure, incident.notes)


def open_book(path: Path | None) -> ProcedureBook:
    """The procedures file a site names; a broken one is refused whole, with its errors."""
    if path is None:
        return ProcedureBook()
    try:
        procedures = load_procedures(path)
    except LayoutInvalid as invalid:
        for error in invalid.errors:
            log.error("procedures not loaded: %s", error)
        first = invalid.errors[0] if invalid.errors else path
        more = len(invalid.errors) - 1
        extra = f" (and {more} more in the log)" if more > 0 else ""
        return ProcedureBook(problem=f"Procedures not loaded: {first}{extra}")
    log.info("procedures: %d from %s", len(procedures.procedures), path)
    return ProcedureBook(procedures)
