"""Zoom: Ctrl++ (or Ctrl+=), Ctrl+- and Ctrl+0 size the type of the article and the lists (results,
facets, side panel) together; the factor is kept in the window's settings across launches."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QWidget

from ui.commands import command

if TYPE_CHECKING:
    from ui.article_view import ArticleView

SETTING = "zoom"
STEP = 0.1
SMALLEST, LARGEST = 0.6, 3.0


def _scaled(font: QFont, factor: float) -> QFont:
    scaled = QFont(font)
    if font.pointSizeF() > 0:
        scaled.setPointSizeF(round(font.pointSizeF() * factor, 2))
    elif font.pixelSize() > 0:
        scaled.setPixelSize(max(1, round(font.pixelSize() * factor)))
    return scaled


class Zoom(QObject):
    """One zoom factor for the article and the lists; each list keeps its own font at 100 %."""

    def __init__(
        self,
        parent: QObject,
        settings: QSettings,
        lists: Sequence[QWidget],
        article: ArticleView,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._article = article
        self._lists = [(widget, QFont(widget.font())) for widget in lists]
        try:
            saved = float(str(settings.value(SETTING, 1.0)))
        except ValueError:
            saved = 1.0
        self.factor = 1.0
        if saved != 1.0:
            self.set_factor(saved)

    def set_factor(self, factor: float) -> None:
        self.factor = round(min(max(factor, SMALLEST), LARGEST), 2)
        self._settings.setValue(SETTING, self.factor)
        self._article.set_zoom(self.factor)
        for widget, font in self._lists:
            widget.setFont(_scaled(font, self.factor))
            if isinstance(widget, QTreeWidget):
                _rescale_items(widget)
            if isinstance(widget, QAbstractItemView):
                widget.doItemsLayout()  # rows (and the result delegate's size) follow the font

    @command("zoom_in", STEP)
    @command("zoom_out", -STEP)
    def step(self, change: float) -> None:
        self.set_factor(self.factor + change)

    @command("zoom_reset")
    def reset(self) -> None:
        self.set_factor(1.0)


def _rescale_items(tree: QTreeWidget) -> None:
    """Items given a font of their own (the side panel's bold section titles) take the tree's size."""
    size = tree.font()
    for top in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(top)
        pending = [item]
        while pending:
            current = pending.pop()
            for column in range(tree.columnCount()):
                own = current.font(column)
                if own != QFont() and own.pointSizeF() != size.pointSizeF():
                    own.setPointSizeF(size.pointSizeF())
                    current.setFont(column, own)
            pending.extend(current.child(n) for n in range(current.childCount()))
