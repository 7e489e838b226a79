"""Briefing minutes as a PDF: one page per slide, the slide as an image, its title and
speaker notes as real text (searchable, copyable), annotations drawn on the image,
and a footer with the deck title, the slide number and "data as of <date time>"."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

from console.layout.deck import Deck
from console.layout.model import Layout
from widgets.briefing.annotation import AnnotationStore, Stroke, paint_strokes
from widgets.briefing.data import BriefingData
from widgets.briefing.slide import SlideView

log = logging.getLogger(__name__)
PageShape = Literal["16:9", "a4"]
DPI = 150


def _page_size(shape: PageShape) -> QPageSize:
    if shape == "a4":
        return QPageSize(QPageSize.PageSizeId.A4)
    return QPageSize(QSizeF(338.67, 190.5), QPageSize.Unit.Millimeter, "16:9")


class MinutesWriter:
    """Writes pages as slides come; `close()` finishes the file."""

    def __init__(self, path: Path, deck_title: str, shape: PageShape = "16:9") -> None:
        self.deck_title = deck_title
        self.writer = QPdfWriter(str(path))
        self.writer.setTitle(deck_title)
        self.writer.setCreator("IOC Console")
        self.writer.setResolution(DPI)
        self.writer.setPageLayout(
            QPageLayout(
                _page_size(shape),
                # the 16:9 size is already wide; "landscape" would turn it on its side
                QPageLayout.Orientation.Landscape
                if shape == "a4"
                else QPageLayout.Orientation.Portrait,
                QMarginsF(10, 8, 10, 8),
            )
        )
        self.painter = QPainter()
        self.pages = 0

    def _font(self, points: float, bold: bool = False) -> QFont:
        font = QFont()
        font.setPointSizeF(points)
        font.setBold(bold)
        return font

    def add(
        self,
        number: int,
        total: int,
        title: str,
        notes: str,
        image: QImage,
        strokes: list[Stroke],
        data_time: datetime,
    ) -> None:
        if self.pages == 0:
            if not self.painter.begin(self.writer):
                raise OSError("cannot write the PDF file")
        else:
            self.writer.newPage()
        self.pages += 1
        painter = self.painter
        area = QRectF(self.writer.pageLayout().paintRectPixels(DPI))
        area.moveTo(0, 0)
        unit = area.height() / 100  # layout in hundredths of the page height
        painter.setPen(QColor("#111111"))
        painter.setFont(self._font(18, bold=True))
        title_box = QRectF(0, 0, area.width(), 8 * unit)
        painter.drawText(
            title_box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title
        )
        footer_box = QRectF(0, area.height() - 5 * unit, area.width(), 5 * unit)
        notes_height = 14 * unit if notes else 0.0
        image_box = QRectF(0, 9 * unit, area.width(), footer_box.top() - 10 * unit - notes_height)
        if not image.isNull():
            size = QSizeF(image.size()).scaled(image_box.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRectF(image_box.topLeft(), size)
            target.moveLeft(image_box.left() + (image_box.width() - size.width()) / 2)
            painter.drawImage(target, image)
            paint_strokes(painter, target, strokes)
            painter.setPen(QColor("#999999"))
            painter.drawRect(target)
        if notes:
            painter.setPen(QColor("#222222"))
            painter.setFont(self._font(11))
            notes_box = QRectF(0, image_box.bottom() + unit, area.width(), notes_height)
            painter.drawText(
                notes_box,
                Qt.TextFlag.TextWordWrap,
                f"{QCoreApplication.translate('BriefingMinutes', 'Notes:')} {notes}",
            )
        painter.setPen(QColor("#555555"))
        painter.setFont(self._font(9))
        stamp = QCoreApplication.translate("BriefingMinutes", "data as of {time}").format(
            time=data_time.strftime("%Y-%m-%d %H:%M:%S")
        )
        flags = Qt.AlignmentFlag.AlignVCenter
        painter.drawText(footer_box, flags | Qt.AlignmentFlag.AlignLeft, self.deck_title)
        painter.drawText(
            footer_box,
            flags | Qt.AlignmentFlag.AlignHCenter,
            QCoreApplication.translate("BriefingMinutes", "Slide {n} of {total}").format(
                n=number, total=total
            ),
        )
        painter.drawText(footer_box, flags | Qt.AlignmentFlag.AlignRight, stamp)

    def close(self) -> None:
        if self.painter.isActive():
            self.painter.end()


async def export_minutes(
    deck: Deck,
    presets: Mapping[str, Layout],
    data: BriefingData,
    view: SlideView,
    annotations: AnnotationStore,
    path: Path,
    shape: PageShape = "16:9",
    timeout_s: float = 15.0,
) -> int:
    """Step `view` through every slide, wait for its data, and write one page each."""
    writer = MinutesWriter(path, deck.title, shape)
    total = len(deck.slides)
    try:
        for index, slide in enumerate(deck.slides):
            view.show_slide(index, slide, slide.screen(presets))
            await data.wait_ready(view.panels(), timeout_s)
            writer.add(
                index + 1,
                total,
                slide.title,
                slide.notes,
                view.content_image(),
                annotations.strokes(index),
                data.data_time,
            )
            log.info("minutes: slide %d/%d %s", index + 1, total, slide.title)
    finally:
        writer.close()
    return writer.pages
