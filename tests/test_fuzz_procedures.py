"""Fuzzing the procedures loader: any input gives procedures or positioned, plain errors."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from console.layout.positions import LayoutError, LayoutInvalid
from console.site.procedures import ProceduresLoader, open_book
from tests.test_fuzz_layouts import FUZZ, dump, yaml_documents
from tests.test_procedures import SHIPPED

FEWER = settings(FUZZ, max_examples=60)  # the suite's budget: layouts are fuzzed harder

KEYS = [
    "procedures",
    "name",
    "categories",
    "priority_at_least",
    "steps",
    "text",
    "who",
    "due_min",
    "mandatory",
    "action",
    "unit",
    "en",
    "vi",
    "version",
]
WORDS = ["traffic", "critical", "call_unit", "show_cameras", "unit", "\u202e", "en"]
documents = yaml_documents(KEYS, WORDS, 20_000)


def check(text: str) -> None:
    try:
        procedures = ProceduresLoader("fuzz.procedures.yaml", text).load_procedures()
    except LayoutInvalid as invalid:
        assert invalid.errors, "a rejection always says why"
        for error in invalid.errors:
            assert isinstance(error, LayoutError)
            assert error.line >= 1 and error.column >= 1 and error.message.strip()
        return
    assert procedures.procedures and all(p.steps for p in procedures.procedures)


@FEWER
@given(documents)
def test_random_structures(document: Any) -> None:
    check(dump(document))


@FEWER
@given(st.text(max_size=300))
def test_random_text(text: str) -> None:
    check(text)


@FEWER
@given(st.data())
def test_the_shipped_file_with_one_value_replaced(data: st.DataObject) -> None:
    """Near-valid: the real file with one value anywhere swapped for something hostile."""
    root = YAML(typ="safe").load(SHIPPED.read_text(encoding="utf-8"))
    procedure = data.draw(st.sampled_from(root["procedures"]))
    step = data.draw(st.sampled_from(procedure["steps"]))
    key = data.draw(st.sampled_from([*KEYS, "extra"]))
    step[key] = data.draw(documents)
    check(dump(root))


def test_a_missing_file_is_a_plain_problem(tmp_path) -> None:  # type: ignore[no-untyped-def]
    book = open_book(tmp_path / "gone.procedures.yaml")
    assert book.procedures is None and "cannot read the file" in book.problem
