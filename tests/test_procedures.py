"""Standard operating procedures: the file, the checklist against the real demo, the refusal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from PySide6.QtWidgets import QApplication

from console.assets import layouts_dir
from console.domain.procedures import progress, skip_note
from console.domain.records import ActionKind, Category, IncidentNote, IncidentStatus, utcnow
from console.site.model import site_for_backend
from console.site.procedures import load_procedures, open_book
from tests.conftest import needs_display
from tests.test_wall_integration import run_console, wait_for

SHIPPED = layouts_dir() / "demo.procedures.yaml"


def test_the_shipped_procedures_cover_every_category_in_both_languages() -> None:
    procedures = load_procedures(SHIPPED)
    covered = {category for p in procedures.procedures for category in p.categories}
    assert covered == set(Category)
    for procedure in procedures.procedures:
        assert set(procedure.name) == {"en", "vi"}
        assert all(set(step.text) == {"en", "vi"} for step in procedure.steps)


BROKEN = {
    "unknown category": (
        "procedures:\n  - name: {en: X}\n    categories: [flood]\n    steps:\n"
        "      - text: {en: Look}\n",
        "3:18",
        "Input should be 'traffic'",
    ),
    "call without a unit": (
        "procedures:\n  - name: {en: X}\n    categories: [traffic]\n    steps:\n"
        "      - text: {en: Call}\n        action: call_unit\n",
        "5:9",
        "needs 'unit'",
    ),
    "misspelt key": (
        "procedures:\n  - name: {en: X}\n    categories: [traffic]\n    steps:\n"
        "      - text: {en: Look}\n        mandatroy: false\n",
        "6:9",
        "did you mean 'mandatory'",
    ),
    "a comma in an unquoted flow value": (
        "procedures:\n  - name: {en: Road, bridge}\n    categories: [traffic]\n    steps:\n"
        "      - text: {en: Look}\n",
        "2:28",
        "'bridge' is not a language code",
    ),
    "two procedures for one case": (
        "procedures:\n"
        "  - {name: {en: A}, categories: [traffic], steps: [{text: {en: a}}]}\n"
        "  - {name: {en: B}, categories: [traffic], steps: [{text: {en: b}}]}\n",
        "2:3",
        "which one applies is unclear",
    ),
    "not a mapping": ("- just a list\n", "1:1", "must be a mapping"),
    "no steps": (
        "procedures:\n  - name: {en: X}\n    categories: [traffic]\n    steps: []\n",
        "4:12",
        "at least 1",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_procedures_file_is_refused_with_positions(tmp_path: Path, case: str) -> None:
    text, position, words = BROKEN[case]
    path = tmp_path / "site.procedures.yaml"
    path.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "ioc_console", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert f"{path}:{position}:" in result.stdout and words in result.stdout, result.stdout
    book = open_book(path)  # the console: no procedures, and says why in plain words
    assert book.procedures is None and book.problem.startswith("Procedures not loaded:")


def test_progress_ignores_notes_that_only_look_like_ticks() -> None:
    procedure = load_procedures(SHIPPED).procedures[0]  # traffic: 5 steps
    at = utcnow()

    def note(text: str) -> IncidentNote:
        return IncidentNote(at=at, author="an", text=text)

    found = progress(
        procedure,
        [
            note("[SOP 1/5] Look"),
            note("[SOP 9/5] no such step"),
            note("[SOP 2/4] another procedure's count"),
            note("see [SOP 3/5] quoted, not at the start"),
            note(skip_note([4, 77], "the unit reported it by phone")),
        ],
    )
    assert set(found.done) == {1} and found.label == "1/5"
    assert found.skipped == {4}
    assert found.open_mandatory() == [2, 3, 5]


@needs_display()
def test_the_checklist_ticks_through_the_backend_and_resolving_asks_why(
    qapp: QApplication, demo_url: str
) -> None:
    from ioc_console.app import Console

    site = site_for_backend(demo_url).model_copy(update={"procedures": SHIPPED})
    created = httpx.post(
        f"{demo_url}/api/v1/demo/incidents",
        json={"title": "Xe tải lật QL14", "category": "traffic", "priority": "high"},
    ).json()

    async def scenario(console: Console) -> None:
        panel = next(p for p in console.panels() if p.KIND == "incidents")
        store = panel.store
        await wait_for(lambda: panel.select(created["id"]), panel.queue.rowCount)
        checklist = panel.checklist
        assert checklist.isVisible()
        assert "Traffic incident — 0 of 5 steps done" in checklist.heading.text()
        status = panel.queue.index(panel.queue.row_of(created["id"]), 5)
        assert status.data().endswith("· 0/5")

        checklist.boxes[1].click()  # step 2: call the traffic police (a unit's name)

        def notes() -> list[str]:
            incident = store.get(created["id"])
            return [n.text for n in incident.notes] if incident else []

        await wait_for(lambda: any(t.startswith("[SOP 2/5]") for t in notes()), notes)
        assert "CSGT Bình Phước" in next(t for t in notes() if t.startswith("[SOP 2/5]"))
        await wait_for(lambda: "✓" in checklist.details[1].text(), checklist.details[1].text)
        assert not checklist.boxes[1].isEnabled()  # done is done
        assert panel.queue.index(panel.queue.row_of(created["id"]), 5).data().endswith("· 1/5")

        places: list[tuple[str, float, float]] = []
        panel.alarmRaised.connect(lambda *place: places.append(place))
        checklist.boxes[0].click()  # step 1 shows the nearest cameras: the wall follows
        incident = store.get(created["id"])
        assert places == [(incident.id, incident.lat, incident.lon)]
        await wait_for(lambda: any(t.startswith("[SOP 1/5]") for t in notes()), notes)

        bar = panel.action_bar
        requested: list[str] = []
        store.actionRequested.connect(lambda _id, action: requested.append(action.action.value))
        bar.trigger(ActionKind.ACKNOWLEDGE)
        await wait_for(
            lambda: store.get(created["id"]).status is IncidentStatus.ACKNOWLEDGED, notes
        )
        bar.trigger(ActionKind.RESOLVE)
        assert bar.prompt.isVisible() and "3, 5" in bar.prompt.text()  # refused: why?
        assert requested == ["acknowledge"]  # no resolve went out
        bar.input.setCurrentText("Xe đã được kéo đi, CSGT báo qua điện thoại")
        bar._line.returnPressed.emit()
        await wait_for(lambda: store.get(created["id"]).status is IncidentStatus.RESOLVED, notes)
        assert any(t.startswith("[SOP skipped 3, 5] Xe đã được kéo đi") for t in notes())

    run_console(qapp, site, scenario)
