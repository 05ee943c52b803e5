"""Where the window's panes sit: the banner and the query bar on top, then the results over the
facets, the article and the side panel side by side (their sizes are the user's, kept by
ui/settings.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QSplitter, QVBoxLayout, QWidget

from ui.qt_names import set_enum


def arrange_panes(
    window: QMainWindow,
    central: QWidget,
    top: list[QWidget],
    results: QWidget,
    facets: QWidget,
    article: QWidget,
    panel: QWidget,
) -> tuple[QSplitter, QSplitter]:
    """Lays the panes out in `central`, makes it the window's; returns the main splitter (left,
    article, panel) and the left one (results over facets)."""
    outer = QVBoxLayout(central)
    outer.setContentsMargins(6, 6, 6, 0)
    outer.setSpacing(4)
    for widget in top:
        outer.addWidget(widget)

    # The parent by keyword: QSplitter(central) makes PySide try QSplitter(Qt.Orientation) too,
    # which makes the `Qt` namespace (ui/qt_names.py).
    left = QSplitter(parent=central)
    set_enum(left, "orientation", "Vertical")
    left.setObjectName("left-splitter")
    left.addWidget(results)
    left.addWidget(facets)
    left.setStretchFactor(0, 3)
    left.setStretchFactor(1, 1)

    main = QSplitter(parent=central)  # horizontal
    main.setObjectName("main-splitter")
    for i, (widget, stretch) in enumerate(((left, 2), (article, 4), (panel, 2))):
        main.addWidget(widget)
        main.setStretchFactor(i, stretch)
    main.setSizes([380, 720, 320])
    main.setChildrenCollapsible(False)
    outer.addWidget(main, 1)
    window.setCentralWidget(central)
    return main, left
