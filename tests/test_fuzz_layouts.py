"""Fuzzing the layout loader: any input gives a layout or positioned, plain errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from console.layout.loader import LayoutLoader
from console.layout.positions import LayoutError, LayoutInvalid

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
KEYS = [
    "name",
    "screens",
    "rows",
    "columns",
    "cells",
    "row",
    "column",
    "kind",
    "config",
    "split",
    "children",
    "orientation",
    "sizes",
    "display",
    "scale",
    "presets",
    "title",
]


def yaml_documents(keys: list[str], words: list[str], largest: int = 40) -> Any:
    """Random YAML-shaped data: a file's own keys and words among random ones."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-5, largest),
        st.floats(allow_nan=True),
        st.text(max_size=12),
        st.sampled_from(words),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(
                st.one_of(st.sampled_from(keys), st.text(max_size=6)), inner, max_size=5
            ),
        ),
        max_leaves=25,
    )


documents = yaml_documents(KEYS, ["camera", "map", "incidents", "horizontal", "x"])


def check(loader: LayoutLoader) -> None:
    try:
        presets = loader.load()
    except LayoutInvalid as invalid:
        assert invalid.errors, "a rejection always says why"
        for error in invalid.errors:
            assert isinstance(error, LayoutError)
            assert error.line >= 1 and error.column >= 1 and error.message.strip()
            assert "Traceback" not in error.message
        return
    assert presets and all(preset.screens for preset in presets)


def dump(document: Any) -> str:
    from io import StringIO

    out = StringIO()
    YAML(typ="safe").dump(document, out)
    return out.getvalue()


@FUZZ
@given(documents)
def test_random_structures(document: Any) -> None:
    check(LayoutLoader("fuzz.yaml", dump(document)))


@FUZZ
@given(st.text(max_size=300))
def test_random_text(text: str) -> None:
    check(LayoutLoader("fuzz.yaml", text))


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(data)
    check(LayoutLoader(path))


@FUZZ
@given(
    st.dictionaries(st.sampled_from(KEYS), documents, max_size=4),
    st.integers(0, 3),
)
def test_near_valid_layouts(extra: dict[str, Any], row: int) -> None:
    cell = {"row": row, "column": 0, "kind": "incidents", **extra}
    screen = {"name": "s", "rows": 2, "columns": 2, "cells": [cell]}
    check(LayoutLoader("fuzz.yaml", dump({"name": "n", "screens": [screen]})))
