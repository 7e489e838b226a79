"""Briefing mode on the real demo backend: minutes PDF with annotations, presenting keys."""

from __future__ import annotations

import asyncio
import subprocess
import unicodedata
from collections.abc import Awaitable, Callable
from pathlib import Path

import numpy as np
import qasync
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from console.layout.deck import Deck, DeckLoader, Slide
from ioc_console.live import connect
from widgets.briefing.annotation import AnnotationStore, Stroke
from widgets.briefing.data import BriefingData
from widgets.briefing.pdf import export_minutes
from widgets.briefing.slide import FROZEN, SlideView
from widgets.kinds import register_builtin_kinds

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "layouts" / "weekly-briefing.deck.yaml"


def run(qapp: QApplication, body: Callable[[], Awaitable[None]]) -> None:
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(body())
    finally:
        loop.close()
        asyncio.set_event_loop(None)


def page_images(pdf: Path, folder: Path) -> list[np.ndarray]:
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(folder / "p")], check=True)
    images = []
    for path in sorted(folder.glob("p-*.png")):
        image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB888)
        raw = np.frombuffer(image.constBits(), np.uint8)
        rows = raw.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 3]
        images.append(rows.reshape(image.height(), image.width(), 3).astype(int))
    return images


def longest_red_column(image: np.ndarray) -> int:
    """Red pixels (the pen's colour) in the most-red column: a vertical stroke shows here."""
    red = (image[:, :, 0] > 190) & (image[:, :, 1] < 110) & (image[:, :, 2] < 100)
    return int(red.sum(axis=0).max())


def test_exported_minutes_have_a_page_per_slide_with_text_images_and_strokes(
    qapp: QApplication, demo_url: str, tmp_path: Path
) -> None:
    register_builtin_kinds()
    loader = DeckLoader(DEMO)
    deck, presets = loader.load_deck(), loader.presets
    pdf = tmp_path / "minutes.pdf"
    annotations = AnnotationStore()
    # A pen line down the middle of slide 2, top to bottom of its panels.
    annotations.add(1, Stroke("pen", [(0.5, 0.05), (0.5, 0.95)]))

    async def body() -> None:
        data = BriefingData(connect(demo_url), owned=True)
        view = SlideView(data.context, AnnotationStore())
        view.resize(1280, 720)
        view.show()
        data.start()
        try:
            pages = await export_minutes(deck, presets, data, view, annotations, pdf, "16:9", 10)
        finally:
            view.dispose()
            view.close()
            view.deleteLater()
            await data.aclose()
        assert pages == 6

    run(qapp, body)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert "Pages:           6" in info.stdout
    found = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    text = unicodedata.normalize("NFKC", found)  # the PDF's fonts use "ﬁ" ligatures
    for slide in deck.slides:
        assert slide.title in text
    assert text.count("data as of") == 6
    assert "Slide 6 of 6" in text and "Weekly IOC briefing" in text
    assert "ask the owners for dates" in text, "speaker notes are text in the PDF"
    images = page_images(pdf, tmp_path)
    assert len(images) == 6
    height, width = images[0].shape[:2]
    assert width > height, "16:9 landscape pages"
    for number, image in enumerate(images, 1):
        assert image.std() > 20, f"page {number} is blank"
    with_stroke = longest_red_column(images[1])
    assert with_stroke > 0.3 * height, "the pen stroke is drawn on its own page"
    assert longest_red_column(images[2]) < 0.15 * height, "and not on another page"


def test_presenter_keys_freeze_blank_jump_dwell_and_leave(
    qapp: QApplication, demo_url: str, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from widgets.briefing.presenter import PresenterSession

    register_builtin_kinds()
    loader = DeckLoader(DEMO)
    deck, presets = loader.load_deck(), loader.presets
    slides = [s.model_copy(update={"dwell_s": None}) for s in deck.slides]
    slides[3] = Slide(
        title="Auto", dwell_s=2, panel={"kind": "kpi-tile", "config": {"kpi": "on-time-rate"}}
    )
    deck = Deck(title=deck.title, slides=slides)

    async def body() -> None:
        data = BriefingData(connect(demo_url), owned=True)
        session = PresenterSession(deck, presets, data, fullscreen=False)
        data.start()
        session.start()
        audience, presenter = session.audience, session.presenter
        try:
            assert session.index == 0 and audience.title.text() == "Overview wall"
            assert "Next: Incidents by district" in presenter.next_title.text()
            qtbot.keyClick(audience, Qt.Key.Key_Right)
            assert session.index == 1 and audience.title.text() == "Incidents by district"
            qtbot.keyClick(presenter, Qt.Key.Key_PageUp)
            assert session.index == 0
            qtbot.keyClick(audience, Qt.Key.Key_Space)
            qtbot.keyClick(audience, Qt.Key.Key_Left)
            assert session.index == 0
            qtbot.keyClicks(audience, "3")
            qtbot.keyClick(audience, Qt.Key.Key_Return)
            assert session.index == 2 and audience.title.text() == "On-time rate vs target"
            assert presenter.notes.toPlainText().startswith("The province must stay above 97")
            await data.wait_ready(audience.panels(), 10)
            qtbot.keyClick(audience, Qt.Key.Key_F)
            assert audience.stack.currentIndex() == FROZEN
            assert "frozen, data as of" in audience.title.text()
            assert "Frozen, data as of" in presenter.state.text()
            still = audience.still.pixmap().toImage()
            await asyncio.sleep(0.5)  # live data keeps arriving meanwhile
            assert audience.still.pixmap().toImage() == still, "a frozen slide stays still"
            qtbot.keyClick(audience, Qt.Key.Key_F)
            assert audience.stack.currentIndex() != FROZEN
            qtbot.keyClick(audience, Qt.Key.Key_B)
            assert audience.blank.isVisible() and "blank" in presenter.state.text()
            qtbot.keyClick(audience, Qt.Key.Key_B)
            assert not audience.blank.isVisible()
            qtbot.keyClick(audience, Qt.Key.Key_Right)
            assert session.index == 3
            async with asyncio.timeout(15):  # dwell_s 2 moves on by itself
                while session.index == 3:
                    await asyncio.sleep(0.1)
            assert session.index == 4
            with qtbot.waitSignal(session.finished, timeout=10000):
                qtbot.keyClick(presenter, Qt.Key.Key_Escape)
        finally:
            session.close()
            await data.aclose()

    run(qapp, body)
