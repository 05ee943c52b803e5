"""The Preferences dialog (ui/preferences.py applies and keeps what it changes)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFontComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui import printing
from ui.keymap import keys_path
from ui.preferences import LARGEST_PT, SMALLEST_PT, Preferences
from ui.theme import CHOICES, LABELS


class PreferencesDialog(QDialog):
    """The preferences, each applied as it changes; OK keeps them, Cancel restores the old ones."""

    def __init__(self, preferences: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferences")
        self.setWindowTitle("Preferences — Briefing Cards")
        self.preferences = preferences
        self.opened_on = preferences.chosen()
        article = preferences.article
        shown = article.article_font()
        form = QFormLayout()

        self.font_box = QFontComboBox(self)
        self.font_box.setObjectName("article-font")
        self.font_box.setCurrentFont(shown)
        form.addRow("Article &font:", self.font_box)

        self.size_box = QDoubleSpinBox(self)
        self.size_box.setObjectName("article-font-size")
        self.size_box.setRange(SMALLEST_PT, LARGEST_PT)
        self.size_box.setDecimals(1)
        self.size_box.setSingleStep(0.5)
        self.size_box.setSuffix(" pt")
        self.size_box.setValue(article.font_size or round(shown.pointSizeF() / article.zoom, 1))
        form.addRow("Article font &size:", self.size_box)

        self.theme_box = QComboBox(self)
        self.theme_box.setObjectName("theme")
        for choice in CHOICES:
            self.theme_box.addItem(LABELS[choice], choice)
        self.theme_box.setCurrentIndex(CHOICES.index(preferences.theme.choice))
        form.addRow("&Theme:", self.theme_box)

        self.card_box = QComboBox(self)
        self.card_box.setObjectName("card-size")
        current = printing.SIZE_ALIASES.get(
            preferences.cards.card_size, preferences.cards.card_size
        )
        for name, size in printing.CARD_SIZES.items():
            self.card_box.addItem(f"{size.label} ({name})", name)
        self.card_box.setCurrentIndex(max(self.card_box.findData(current), 0))
        form.addRow("Default &card size:", self.card_box)

        # The whole path on its own line (selectable, never cut), the button and a word below it.
        self.keys_label = QLabel(str(keys_path()), self)
        self.keys_label.setObjectName("keys-path")
        self.keys_label.setTextFormat(Qt.TextFormat.PlainText)
        self.keys_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Key bindings file:", self.keys_label)
        keys_row = QHBoxLayout()
        self.open_folder_button = QPushButton("&Open its folder", self)
        self.open_folder_button.setObjectName("open-keys-folder")
        self.open_folder_button.setAutoDefault(False)
        self.open_folder_button.clicked.connect(preferences.open_keys_folder)
        keys_row.addWidget(self.open_folder_button)
        hint = QLabel("a [keys] table, read when the app starts", self)
        hint.setEnabled(False)  # the muted colour of the palette in force
        keys_row.addWidget(hint, 1)
        form.addRow("", keys_row)
        self.setMinimumWidth(460)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        # Connected once the boxes show the values in force: filling them changes nothing.
        self.font_box.currentFontChanged.connect(self._font_changed)
        self.size_box.valueChanged.connect(self._font_changed)
        self.theme_box.currentIndexChanged.connect(
            lambda _index: preferences.theme.set_choice(self.theme_box.currentData())
        )
        self.card_box.currentIndexChanged.connect(
            lambda _index: preferences.cards.set_card_size(self.card_box.currentData())
        )

    def _font_changed(self, *_args: object) -> None:
        self.preferences.set_article_font(
            self.font_box.currentFont().family(), float(self.size_box.value())
        )

    def reject(self) -> None:
        """Cancel, Esc or closing the window: every preference back as it was."""
        self.preferences.restore(self.opened_on)
        super().reject()
