"""Moving the keyboard focus between the window's panes: Tab and Shift+Tab, Alt+1/2/3, `/` and
Esc, with an accent frame on the pane that has the focus."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from ui.commands import command


def focus_frame_style(pane: QWidget) -> str:
    """A thin frame that turns into a thick accent frame while the pane has the keyboard focus.

    Palette roles, not fixed colours, so it reads in light and dark themes; the padding keeps the
    content still when the frame thickens.
    """
    selector = f"#{pane.objectName()}"
    return (
        f"{selector} {{ border: 1px solid palette(mid); padding: 1px; }}"
        f"{selector}:focus {{ border: 2px solid palette(highlight); padding: 0px; }}"
    )


class FocusMover(QObject):
    """The panes in focus order: the search box, the results, the facets, the article, the panel."""

    def __init__(
        self,
        parent: QObject,
        search_box: QLineEdit,
        results: QWidget,
        facets: QWidget,
        article: QWidget,
        panel: QWidget,
    ) -> None:
        super().__init__(parent)
        self._search_box = search_box
        self._results = results
        self._named = {"results": results, "article": article, "panel": panel}
        self.panes: list[QWidget] = [search_box, results, facets, article, panel]
        for first, second in zip(self.panes, self.panes[1:], strict=False):
            QWidget.setTabOrder(first, second)
        for pane in self.panes[1:]:
            pane.setStyleSheet(focus_frame_style(pane))

    @command("focus_search")
    def focus_search(self) -> None:
        from PySide6.QtCore import Qt

        self._search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._search_box.selectAll()

    def add_pane(self, pane: QWidget, *, after: QWidget) -> None:
        """A pane another part lays out (the watch list), in the cycle after `after`."""
        position = self.panes.index(after) + 1
        self.panes.insert(position, pane)
        pane.setStyleSheet(focus_frame_style(pane))
        QWidget.setTabOrder(after, pane)
        if position + 1 < len(self.panes):
            QWidget.setTabOrder(pane, self.panes[position + 1])

    @command("focus_results", "results")
    @command("focus_article", "article")
    @command("focus_panel", "panel")
    def focus_pane(self, name: str) -> None:
        from PySide6.QtCore import Qt

        self._named[name].setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _current_pane(self) -> int:
        focus = QApplication.focusWidget()
        for position, pane in enumerate(self.panes):
            if focus is pane or (focus is not None and pane.isAncestorOf(focus)):
                return position
        return 0

    @command("next_pane", 1)
    @command("previous_pane", -1)
    def step_pane(self, step: int) -> None:
        from PySide6.QtCore import Qt

        visible = [pane for pane in self.panes if pane.isVisible()]
        current = self.panes[self._current_pane()]
        position = visible.index(current) if current in visible else 0
        visible[(position + step) % len(visible)].setFocus(Qt.FocusReason.TabFocusReason)

    def back(self) -> None:
        """Esc: from the article, panel or facets back to the results; from the results to the search box."""
        from PySide6.QtCore import Qt

        pane = self.panes[self._current_pane()]
        if pane is self._results:
            self.focus_search()
        elif pane is self._search_box:
            self._search_box.selectAll()
        else:
            self._results.setFocus(Qt.FocusReason.ShortcutFocusReason)
