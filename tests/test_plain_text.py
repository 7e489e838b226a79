"""Text from a backend is shown as text: no label, tooltip, queue tooltip, chart label or
PDF line reads it as markup (issue 14, "citizen text is text").

Qt reads a QLabel in AutoText format, and any tooltip at all, as rich text as soon as
`Qt.mightBeRichText()` says so: `<img src="/etc/passwd">` in a title would be drawn on
the wall. Two checks keep the whole class out: the source (no bare QLabel, no other
text format, every tooltip through `plain_tooltip`), and the real wall walked after a
corpus of markup has gone into every text field a backend fills.
"""

from __future__ import annotations

import ast
import re
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex
from PySide6.QtGui import QImage, Qt, QTextDocument  # QtGui: Qt.mightBeRichText
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QGraphicsTextItem,
    QGraphicsView,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from console.domain.records import Camera, CameraStatus, Incident, Kpi, KpiSample
from console.layout.deck import Deck, Slide
from console.layout.model import Cell, PanelSpec, Screen
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
from widgets.panel import PanelContext

ROOT = Path(__file__).resolve().parents[1]
T0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
CORPUS = (
    "<b>bold</b>",
    '<a href="javascript:alert(1)">link</a>',
    '<img src="/etc/passwd">',
    '<img src="http://10.0.0.1/x.png">',
    "<table><tr><td>cell</td></tr></table>",
    "&lt;i&gt; &amp;",
    "<!-- hidden -->",
    "<qt>qt</qt>",
    "<style>p { color: red }</style>",
    "<h1>big</h1>\n<br>line",
)
MARK = re.compile(r"‹([a-z]+)(\d+)›")
FIELDS = {
    "title",
    "description",
    "note",
    "author",
    "district",
    "assignee",
    "camera",
    "camdistrict",
    "kpi",
    "unit",
    "reason",
    "link",
    "banner",
    "deck",
    "slide",
    "slidenotes",
}


def marked(field: str, k: int) -> str:
    """A corpus entry with a marker naming where it went in (the marker is never markup)."""
    return f"‹{field}{k}›{CORPUS[k % len(CORPUS)]}"


# -- what Qt shows for a string ------------------------------------------------------------
def shown(text: str, text_format: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """The characters Qt puts on screen for `text` in this format (a tooltip is AutoText)."""
    document = QTextDocument()
    if text_format is Qt.TextFormat.MarkdownText:
        document.setMarkdown(text)
    elif text_format is Qt.TextFormat.RichText or (
        text_format is Qt.TextFormat.AutoText and Qt.mightBeRichText(text)
    ):
        document.setHtml(text)
    else:
        return text
    return document.toPlainText()


def _model_texts(where: str, model: QAbstractItemModel) -> Iterator[tuple[str, str, str]]:
    root = QModelIndex()
    # A list model's columnCount is private in PySide6: it has one column.
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(root)
    for row in range(model.rowCount(root)):
        for column in range(columns):
            index = model.index(row, column, root)
            display = index.data(Qt.ItemDataRole.DisplayRole)
            if isinstance(display, str):
                yield f"{where} cell", display, display  # item views draw plain text
            tip = index.data(Qt.ItemDataRole.ToolTipRole)
            if isinstance(tip, str) and tip:
                yield f"{where} cell tooltip", tip, shown(tip)


def _header_texts(header: QHeaderView) -> Iterator[tuple[str, str, str]]:
    model = header.model()
    if model is None:
        return
    for section in range(header.count()):
        text = model.headerData(section, header.orientation(), Qt.ItemDataRole.DisplayRole)
        if isinstance(text, str):
            yield "header", text, text
        tip = model.headerData(section, header.orientation(), Qt.ItemDataRole.ToolTipRole)
        if isinstance(tip, str) and tip:
            yield "header tooltip", tip, shown(tip)


def surfaces() -> Iterator[tuple[str, str, str]]:
    """(where, the string Qt was given, what Qt shows) for every text of every widget."""
    for widget in QApplication.allWidgets():
        where = f"{type(widget).__name__}#{widget.objectName()}"
        if isinstance(widget, QLabel):
            yield where, widget.text(), shown(widget.text(), widget.textFormat())
        if isinstance(widget, QPlainTextEdit):
            yield where, widget.toPlainText(), widget.toPlainText()
        if widget.isWindow():  # a window title is plain text to the window manager
            yield f"{where} window title", widget.windowTitle(), widget.windowTitle()
        for tip in (widget.toolTip(), widget.whatsThis()):
            if tip:
                yield f"{where} tooltip", tip, shown(tip)
        for action in widget.actions():
            if action.toolTip():
                yield f"{where} action tooltip", action.toolTip(), shown(action.toolTip())
        if isinstance(widget, QHeaderView):
            yield from _header_texts(widget)
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            yield from _model_texts(where, widget.model())
        if isinstance(widget, QGraphicsView) and widget.scene() is not None:
            for item in widget.scene().items():  # pyqtgraph labels, legends, crosshair
                if isinstance(item, QGraphicsTextItem):
                    yield f"{where} graphics text", item.toPlainText(), item.toPlainText()


def _spaced(text: str) -> str:
    """Runs of white space as one space: markup may fold a line break, not show a tag."""
    return " ".join(text.split())


def interpreted(texts: Iterator[tuple[str, str, str]]) -> tuple[list[str], set[str]]:
    """Strings whose markup Qt would interpret, and the fields seen at all."""
    bad: dict[str, None] = {}  # once each, in the order met
    seen: set[str] = set()
    for where, source, on_screen in texts:
        for field, k in MARK.findall(source) + MARK.findall(on_screen):
            seen.add(field)
            if _spaced(marked(field, int(k))) not in _spaced(on_screen):
                bad[f"{where}: {source[:90]!r} shows as {on_screen[:90]!r}"] = None
    return list(bad), seen


# -- the data ----------------------------------------------------------------------------
def incident(k: int, **changes: Any) -> Incident:
    return Incident.model_validate(
        {
            "id": f"inc-{k}",
            "title": marked("title", k),
            "description": marked("description", k),
            "category": "security",
            "priority": "critical",
            "status": "assigned",
            "source": "citizen",
            "district": marked("district", k),
            "lat": 11.5 + 0.01 * k,
            "lon": 106.9,
            "created_at": T0 + timedelta(minutes=k),
            "updated_at": T0 + timedelta(minutes=k),
            "revision": k + 1,
            "assignee": marked("assignee", k),
            "notes": [
                {"at": T0, "author": marked("author", k), "text": marked("note", k)},
            ],
            **changes,
        }
    )


def hostile_context() -> PanelContext:
    cameras, incidents, kpis = CameraStore(), IncidentTableModel(), KpiStore()
    cameras.replace(
        Camera(
            id=f"cam-{k}",
            name=marked("camera", k),
            district=marked("camdistrict", k),
            lat=11.5,
            lon=106.9,
            status=CameraStatus.ONLINE if k % 2 else CameraStatus.OFFLINE,
            streams={},
        )
        for k in range(len(CORPUS))
    )
    incidents.upsert(incident(k) for k in range(len(CORPUS)))
    now = datetime.now(UTC)
    kpis.replace(
        Kpi(
            id=f"k{k}",
            name=marked("kpi", k),
            unit=marked("unit", k),
            value=10.0 + k,
            target=None if k == 2 else 12.0,  # k2: a headline with no colour span
            updated_at=now,
        )
        for k in range(len(CORPUS))
    )
    for k in range(len(CORPUS)):
        samples = [KpiSample(t=now - timedelta(minutes=m), value=10.0 + m % 3) for m in range(9)]
        kpis.set_series(f"k{k}", samples)
    return PanelContext(cameras, incidents, kpis, LayerStore())


def wall_screen() -> Screen:
    every_kpi = [f"k{k}" for k in range(len(CORPUS))]
    panels: list[tuple[str, dict[str, Any]]] = [
        (
            "incidents",
            {"alarms": [{"priority_at_least": "high", "categories": ["security"]}]},
        ),
        ("camera", {"camera": "cam-0"}),  # offline: nothing to play
        ("camera-list", {}),
        ("kpi-chart", {"kpis": every_kpi}),
        ("kpi-chart", {"kpis": ["k2"]}),
        ("kpi-bars", {"kpis": every_kpi}),
        ("kpi-tile", {"kpi": "k3"}),
        ("kpi-gauge", {"kpi": "k4"}),
        ("kpi-table", {"kpis": every_kpi}),
    ]
    cells = [
        Cell(row=i // 3, column=i % 3, kind=kind, config=config)
        for i, (kind, config) in enumerate(panels)
    ]
    return Screen(name="wall", rows=3, columns=3, cells=cells)


@pytest.fixture
def hostile_wall(qtbot: QtBot) -> Iterator[list[QWidget]]:
    """A wall window, a briefing slide and the presenter view, fed markup everywhere."""
    from widgets.briefing.annotation import AnnotationStore
    from widgets.briefing.presenter_view import PresenterView
    from widgets.briefing.slide import SlideView
    from widgets.incidents.panel import IncidentsPanel
    from widgets.kinds import register_builtin_kinds
    from widgets.wall.window import FramePool, WallWindow

    register_builtin_kinds()
    context = hostile_context()
    window = WallWindow("wall")
    qtbot.addWidget(window)
    pool = FramePool(context)
    window.show_screens([wall_screen()], pool)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    queue = next(p for p in window.panels() if isinstance(p, IncidentsPanel))
    assert queue.select("inc-0")  # the detail pane
    with qtbot.waitSignal(queue.alarmRaised):  # the alarm banner
        context.incidents.upsert([incident(len(CORPUS) + 3)], live=True)
    context.incidents.report_refused("inc-0", "reopen", marked("reason", 0))
    window.set_link_state("offline", marked("link", 3))
    window.show_banner(marked("banner", 4))

    slide = Slide(
        title=marked("slide", 5),
        notes=marked("slidenotes", 6),
        panel=PanelSpec(kind="camera", config={"camera": "cam-2"}),
    )
    deck = Deck(title=marked("deck", 8), slides=[slide, slide])
    slides = SlideView(context, AnnotationStore())
    qtbot.addWidget(slides)
    slides.show_slide(0, slide, slide.screen({}))
    slides.resize(800, 450)
    slides.show()
    presenter = PresenterView(deck, AnnotationStore())
    qtbot.addWidget(presenter)
    presenter.show_position(0)
    presenter.show()
    qtbot.waitExposed(presenter)
    yield [window, slides, presenter]
    slides.dispose()
    for frame in window.frames:
        frame.dispose()


def test_no_widget_interprets_markup_from_a_backend(hostile_wall: list[QWidget]) -> None:
    bad, seen = interpreted(surfaces())
    assert not bad, "\n".join(bad[:20])
    assert seen >= FIELDS, f"the walk never met {FIELDS - seen}"  # not vacuous


def test_the_walk_catches_interpreted_markup(qtbot: QtBot) -> None:
    label = QLabel(marked("title", 0))  # the bare label the source check forbids
    label.setObjectName("Bait")
    qtbot.addWidget(label)
    label.setToolTip(marked("title", 3))
    bad, seen = interpreted(t for t in surfaces() if t[0].startswith("QLabel#Bait"))
    assert len(bad) == 2 and seen == {"title"}


@pytest.mark.parametrize("text", [*CORPUS, "a\n  b\tc", "", "  lead & trail  "])
def test_a_plain_tooltip_shows_exactly_its_text(qapp: Any, text: str) -> None:
    from widgets.text import plain_tooltip

    tip = plain_tooltip(text)
    assert shown(tip) == text
    assert not tip or "<b>" not in tip


# Markup-ish text: tags, entities, quotes and spaces among any printable characters (no
# control characters but newline and tab, no no-break space: Qt's plain text turns it into a
# space, which is not markup either).
MARKUPISH = st.text(
    st.sampled_from(list("<>&;\"'/=! \n\t#"))
    | st.characters(
        codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp"), exclude_characters="\xa0"
    ),
    max_size=60,
)


@settings(max_examples=200, deadline=None, database=None)
@given(text=MARKUPISH)
def test_any_text_as_a_tooltip_shows_as_itself(qapp: Any, text: str) -> None:
    from widgets.text import plain_tooltip

    assert shown(plain_tooltip(text)) == text


def test_briefing_minutes_write_titles_and_notes_as_text(qapp: Any, tmp_path: Path) -> None:
    from widgets.briefing.pdf import MinutesWriter

    pdf = tmp_path / "minutes.pdf"
    writer = MinutesWriter(pdf, marked("deck", 0))
    image = QImage(64, 36, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkGray)
    writer.add(1, 1, marked("slide", 2), marked("slidenotes", 3), image, [], T0)
    writer.close()
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    for field, k in (("deck", 0), ("slide", 2), ("slidenotes", 3)):
        assert marked(field, k) in text


# -- the source: the class cannot come back ---------------------------------------------------
TEXT_MODULE = ROOT / "widgets" / "text.py"
WIDGETS = sorted(p for p in (ROOT / "widgets").rglob("*.py") if p != TEXT_MODULE)
# The map is a web page built from escaped, JSON-encoded data (tests/test_map_panel.py).
HTML_ALLOWED = {ROOT / "widgets" / "map" / "panel.py"}


def _names(node: ast.expr) -> set[str]:
    """`QMessageBox.warning` -> {"QMessageBox", "warning"}; `x.setText` -> {"setText"}."""
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.Attribute):
        base = {node.value.id} if isinstance(node.value, ast.Name) else set()
        return {node.attr} | (base if base & MARKUP_CLASSES else set())
    return set()


def _is_call_to(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Call) and name in _names(node.func)


def _is_own_words(node: ast.expr) -> bool:
    """A translated literal with nothing filled in: `self.tr("...")`."""
    return isinstance(node, ast.Call) and _is_call_to(node, "tr") and len(node.args) == 1


def _second(call: ast.Call) -> ast.expr:
    """`QToolTip.showText(pos, text, ...)`: the text."""
    return call.args[1] if len(call.args) > 1 else ast.Constant("")


MARKUP_CLASSES = {"QLabel", "QMessageBox", "QErrorMessage", "QProgressDialog"}


def offences(path: Path, root: Path = ROOT) -> list[str]:
    """Ways a module could show outside text as markup (see widgets/text.py)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.ClassDef):
            if any(_names(base) & {"QLabel"} for base in node.bases):
                found.append((line, "subclass PlainLabel or MarkupLabel, not QLabel"))
            continue
        if not isinstance(node, ast.Call):
            continue
        called = _names(node.func)
        argument = node.args[0] if node.args else None
        if called & MARKUP_CLASSES:
            found.append((line, f"{called & MARKUP_CLASSES} reads text as markup"))
        elif "setTextFormat" in called:
            found.append((line, "a text format is chosen in widgets/text.py only"))
        elif called & {"setToolTip", "setWhatsThis"} and argument is not None:
            empty = isinstance(argument, ast.Constant) and argument.value == ""
            if not (empty or _is_call_to(argument, "plain_tooltip")):
                found.append((line, "a tooltip is markup: pass plain_tooltip(...)"))
        elif "setLabelText" in called and argument is not None and not _is_own_words(argument):
            found.append((line, "a dialog label is markup: own words only"))
        elif "setHtml" in called and path not in HTML_ALLOWED:
            found.append((line, "setHtml"))
        elif "showText" in called and not _is_call_to(_second(node), "plain_tooltip"):
            found.append((line, "a tooltip is markup: pass plain_tooltip(...)"))
        markup = [keyword.value for keyword in node.keywords if keyword.arg == "html"]
        if "plot" in called:  # pyqtgraph: a curve's name is its legend's HTML
            markup += [keyword.value for keyword in node.keywords if keyword.arg == "name"]
        if called & {"LabelItem", "setLabel"} and argument is not None:
            markup.append(argument)
        if any(not _is_call_to(value, "escape") for value in markup):
            found.append((line, "pyqtgraph reads this as HTML: html.escape(...) it"))
    where = path.relative_to(root)
    return [f"{where}:{line}: {why}" for line, why in sorted(found)]


@pytest.mark.parametrize("path", WIDGETS, ids=lambda p: str(p.relative_to(ROOT)))
def test_widgets_show_outside_text_only_as_text(path: Path) -> None:
    assert offences(path) == []


def test_the_source_check_catches_each_way_in(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text(
        "class A(QLabel): pass\n"
        "x = QLabel(title)\n"
        "x.setTextFormat(Qt.TextFormat.RichText)\n"
        "x.setToolTip(incident.title)\n"
        "x.setToolTip(plain_tooltip(incident.title))\n"
        "x.setToolTip('')\n"
        "d.setLabelText(self.tr('Name: {n}').format(n=name))\n"
        "d.setLabelText(self.tr('Name:'))\n"
        "QMessageBox.warning(None, 'x', reason)\n"
        "v.setHtml(page)\n"
        "QToolTip.showText(pos, title)\n"
        "p.plot(pen=pen, name=kpi.name)\n"
        "p.plot(pen=pen, name=html.escape(kpi.name))\n"
        "axis.setLabel(kpi.unit)\n",
        encoding="utf-8",
    )
    lines = [int(offence.split(":")[1]) for offence in offences(sample, tmp_path)]
    assert lines == [1, 2, 3, 4, 7, 9, 10, 11, 12, 14]
