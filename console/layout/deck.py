"""Briefing decks: an ordered list of slides, each a preset, one panel or a small grid.

A deck file (`layouts/*.deck.yaml`) is validated like a layout, with every problem
reported as `path:line:col: message`, and a slide's preset is checked against the
layout files beside the deck. Filters and time ranges live in each panel's config,
so a slide shows exactly what the same panel would show on the wall.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError, model_validator
from pydantic_core import ErrorDetails
from ruamel.yaml.comments import CommentedMap

from console.layout.loader import LayoutLoader
from console.layout.model import Cell, Layout, PanelSpec, Screen, StrictModel
from console.layout.positions import (
    LayoutError,
    LayoutInvalid,
    Loc,
    node_at,
)


class SlideGrid(StrictModel):
    """A small grid of panels, laid out like a layout screen's cells."""

    rows: int = Field(ge=1, le=4)
    columns: int = Field(ge=1, le=4)
    cells: list[Cell] = Field(min_length=1)


class Slide(StrictModel):
    title: str = Field(min_length=1)
    notes: str = ""
    dwell_s: float | None = Field(
        None, ge=2, le=3600, description="Seconds before moving on; empty: manual"
    )
    preset: str | None = Field(None, description="A preset from the layout library")
    panel: PanelSpec | None = None
    grid: SlideGrid | None = None

    @model_validator(mode="after")
    def _one_content(self) -> Slide:
        given = [n for n in ("preset", "panel", "grid") if getattr(self, n) is not None]
        if len(given) != 1:
            raise ValueError(
                "a slide shows exactly one of 'preset', 'panel' or 'grid'"
                + (f" (it has {', '.join(given)})" if given else "")
            )
        return self

    def screen(self, presets: Mapping[str, Layout]) -> Screen:
        """What the slide shows, as a layout screen (a preset shows its first screen)."""
        if self.preset is not None:
            return presets[self.preset].screens[0]
        if self.panel is not None:
            cell = Cell(row=0, column=0, **self.panel.model_dump())
            return Screen(name=self.title, rows=1, columns=1, cells=[cell])
        assert self.grid is not None
        grid = self.grid
        return Screen(name=self.title, rows=grid.rows, columns=grid.columns, cells=grid.cells)


class Deck(StrictModel):
    version: int = Field(1, ge=1, le=1)
    title: str = Field(min_length=1)
    slides: list[Slide] = Field(min_length=1, max_length=200)


_OWNERS: dict[str, type[BaseModel]] = {
    "slides": Slide,
    "grid": SlideGrid,
    "cells": Cell,
    "panel": PanelSpec,
}


def library_presets(folder: Path) -> dict[str, Layout]:
    """The valid presets of the layout files in `folder` (decks excluded)."""
    presets: dict[str, Layout] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name.endswith(".deck.yaml"):
            continue
        try:
            presets.update((p.name, p) for p in LayoutLoader(path).load())
        except LayoutInvalid:
            continue  # its own errors are reported when the wall loads it
    return presets


class DeckLoader(LayoutLoader):
    """Loads one deck file, with the layout loader's positions and messages."""

    def __init__(
        self,
        path: str | Path,
        presets: Mapping[str, Layout] | None = None,
        text: str | None = None,
    ) -> None:
        super().__init__(path, text)
        self.presets = dict(presets) if presets is not None else library_presets(Path(path).parent)

    def load_deck(self) -> Deck:
        deck = self._load_deck()
        if deck is None or self.errors:
            raise LayoutInvalid(self.errors)
        return deck

    def _load_deck(self) -> Deck | None:
        self.root = self.parse()
        if self.errors:
            return None
        if not isinstance(self.root, CommentedMap):
            self._error(0, 0, "a deck must be a mapping with 'title' and 'slides'")
            return None
        try:
            deck = Deck.model_validate(self.root)
        except ValidationError as error:
            for item in error.errors():
                self._report_deck(tuple(item["loc"]), item)
            return None
        for index, slide in enumerate(deck.slides):
            loc: Loc = ("slides", index)
            if slide.preset is not None and slide.preset not in self.presets:
                close = difflib.get_close_matches(slide.preset, list(self.presets), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                line, col = node_at(self.root, (*loc, "preset"))[1:3]
                known = ", ".join(sorted(self.presets)) or "none"
                self._error(line, col, f"unknown preset '{slide.preset}'{hint}; known: {known}")
            elif slide.panel is not None:
                self._check_panel((*loc, "panel"), slide.panel)
            elif slide.grid is not None:
                grid = slide.grid
                self._check_screen(
                    (*loc, "grid"),
                    Screen(name="grid", rows=grid.rows, columns=grid.columns, cells=grid.cells),
                )
        return deck

    def _report_deck(self, loc: Loc, item: ErrorDetails) -> None:
        names = [part for part in loc[:-1] if isinstance(part, str)]
        self.report(loc, item, _OWNERS.get(names[-1], Deck) if names else Deck)


def load_deck(path: str | Path, presets: Mapping[str, Layout] | None = None) -> Deck:
    return DeckLoader(path, presets).load_deck()


def validate_deck(path: str | Path) -> list[LayoutError]:
    try:
        DeckLoader(path).load_deck()
    except LayoutInvalid as invalid:
        return invalid.errors
    return []


def is_deck(path: str | Path) -> bool:
    return str(path).endswith(".deck.yaml")
