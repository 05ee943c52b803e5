"""The main window assembles the panes and connects them; each pane owns its state and speaks
through signals, and every command of ui/keymap.py is bound to the pane method named for it."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

from ui.brief_pane import BriefPane, article_to_add
from ui.cards import CardCommands
from ui.commands import collect_handlers, command, fill_menus, make_actions
from ui.corroboration import PanelCorroboration
from ui.entity_page import EntityPages
from ui.facets import FacetTree
from ui.focus import FocusMover
from ui.help_commands import HelpCommands
from ui.indexing_status import IndexingStatus
from ui.keymap import Keymap, load_keymap
from ui.layout import arrange_panes
from ui.library_actions import LibraryActions
from ui.preferences import Preferences
from ui.query_bar import QueryBar
from ui.reader import Reader
from ui.result_list import ResultList
from ui.result_menu import ResultMenu
from ui.search_session import SearchSession
from ui.settings import restore_layout, save_layout, settings_for
from ui.theme import Theme
from ui.watch_list import WatchList
from ui.zoom import Zoom

# Start-up imports only what the window needs to show and take keys. The engine's index (whoosh),
# the indexing process, printing, help, dialogs and the Qt types only they use are imported when
# first needed: making each Qt type's Python wrapper costs milliseconds.
if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent

    from search.models import StoredArticle
    from ui.indexer import IndexRunner

log = logging.getLogger(__name__)


# The panes whose methods handle commands, besides the window itself.
COMMAND_PROVIDERS = """help focus query_bar result_list reader corrections cards indexing
    library_actions result_menu zoom theme preferences brief notes entity_pages watches""".split()
# The panes whose `message` signal (text, milliseconds) the status bar shows.
SPEAKING_PANES = """theme cards indexing library_actions result_menu entity_pages preferences brief
    reader""".split()


class MainWindow(QMainWindow):
    """Everything the user sees; engine work runs on the BackgroundRunner, indexing in IndexRunner's process."""

    def __init__(
        self,
        data_dir: Path,
        *,
        keymap: Keymap | None = None,
        runner: IndexRunner | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("main-window")
        self.setWindowTitle("Briefing Cards")
        self.data_dir = Path(data_dir)
        self.keymap = keymap or load_keymap()
        self.settings = settings_for()
        self.theme = Theme(self, self.settings)
        self.actions_by_name: dict[str, QAction] = {}
        self.session = SearchSession(self)
        self.session.notice.connect(lambda text: self.statusBar().showMessage(text, 20000))
        self.session.library_counted.connect(lambda count: self.indexing.show_library_size(count))
        self.session.library_unreadable.connect(lambda _error: self.indexing.show_unavailable())
        self.cards = CardCommands(
            self, self.settings, lambda: self.session.articles(self.result_list.hits())
        )
        self.cards.follow(self.session)
        self.indexing = IndexingStatus(self, self.data_dir, runner)
        self.indexing.index_changed.connect(self.session.refresh)
        self.indexing.searchable.connect(self.session.run)
        self.session.opened.connect(self.indexing.open_done)
        self.library_actions = LibraryActions(self, self.data_dir, lambda: self.session.index)
        self.library_actions.index_wanted.connect(self.indexing.start_indexing)
        self.library_actions.sync_wanted.connect(self.indexing.sync_library)
        self.indexing.sync_ended.connect(self.library_actions.on_sync_ended)
        self.help = HelpCommands(self, self.keymap)
        self._build_widgets()
        self.watches = WatchList(self)  # lays its pane out under the facets and wires itself
        self.result_menu = ResultMenu(
            self.result_list,
            lambda hit: next(iter(self.session.articles([hit]) or []), None),
            lambda: self.reader.stored,
        )
        self.result_menu.search_requested.connect(self.search_for)
        self.entity_pages = EntityPages(self, lambda: self.session.index, self.reader, self.facets)
        self.corroboration = PanelCorroboration(self, lambda: self.session.index, self.reader)
        self.zoom = Zoom(
            self, self.settings, [self.result_list, self.facets, self.panel.tree], self.article
        )
        self.preferences = Preferences(self, self.settings, self.article, self.cards, self.theme)
        to_add = lambda: article_to_add(self.result_list, self.search_box, self.reader)  # noqa: E731
        self.brief = BriefPane(self, self.settings, lambda: self.session.index, to_add)
        for pane in SPEAKING_PANES:
            getattr(self, pane).message.connect(self.statusBar().showMessage)
        self._build_actions()
        self.statusBar().addPermanentWidget(self.indexing.library_label)
        self.statusBar().addPermanentWidget(self.reader.hits_label)
        restore_layout(self.settings, self, self._splitters())
        self.query_bar.restore(self.settings)
        self.setAcceptDrops(True)

        for error in self.keymap.errors:
            self.statusBar().showMessage(f"Key bindings: {error}", 15000)
        # Typing works the moment the window shows.
        self.search_box.setFocus()

    # -- building ------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        central = QWidget(self)
        self.banner = self.indexing.banner
        self.query_bar = QueryBar(central, self.keymap.all_keys())
        self.query_bar.text_changed.connect(self.session.set_text)
        self.query_bar.sort_changed.connect(self.session.set_sort)
        self.query_bar.submitted.connect(self.session.run)
        self.search_box = self.query_bar.search_box

        self.result_list = ResultList(central, self.query_bar.has_focus)
        self.model = self.result_list.hits_model
        self.result_list.hit_selected.connect(
            lambda hit: self.reader.show_hit(hit, self.session.result)
        )
        self.result_list.more_wanted.connect(self.session.fetch_more)

        self.facets = FacetTree(central)
        self.facets.clause_chosen.connect(self.query_bar.add_clause)

        self.reader = Reader(
            central,
            lambda: self.session.index,
            self.actions_by_name,
            lambda: self.indexing.is_running(),
        )
        self.reader.article_changed.connect(self.cards.set_article)
        self.reader.article_changed.connect(self.library_actions.set_article)
        self.reader.title_changed.connect(self.setWindowTitle)
        self.reader.message_withdrawn.connect(self._withdraw_message)
        self.reader.search_requested.connect(self.search_for)
        self.reader.corrected.connect(self.session.run)
        self.indexing.notice.connect(self.reader.show_notice)
        self.result_list.open_requested.connect(self.reader.enter)
        self.article, self.panel = self.reader.article, self.reader.panel
        self.corrections, self.notes = self.reader.corrections, self.reader.notes

        self.splitter, self.left_splitter = arrange_panes(
            self,
            central,
            [self.banner, self.query_bar],
            self.result_list,
            self.facets,
            self.article,
            self.panel,
        )

        # The session's answers, to every pane that shows a part of them.
        answer_panes = (self.query_bar, self.result_list, self.facets, self.reader)
        for pane in answer_panes:
            self.session.answered.connect(pane.show_answer)
        self.session.rejected.connect(self.query_bar.show_rejected)
        self.session.rejected.connect(self.reader.show_rejected)
        self.session.failed.connect(self.query_bar.show_failure)
        self.session.appended.connect(self.result_list.append_hits)

        self.focus = FocusMover(
            self, self.search_box, self.result_list, self.facets, self.article, self.panel.tree
        )
        self.resize(1420, 860)

    def command_providers(self) -> list[object]:
        """Every object whose methods handle commands (marked with ui.commands.command)."""
        return [self, *(getattr(self, name) for name in COMMAND_PROVIDERS)]

    def _build_actions(self) -> None:
        contexts: dict[str, list[QWidget]] = {
            "results": [self.search_box, self.result_list],
            "reader": self.reader.focus_widgets(),
            "panel": [self.panel.tree],
            "brief": [self.brief.list],
            "watches": [self.watches.tree],
        }
        handlers = collect_handlers(self.command_providers())
        make_actions(self, self.keymap, handlers, contexts, self.actions_by_name)
        view = fill_menus(self.menuBar(), self.actions_by_name)["View"]
        view.addSeparator()
        self.query_bar.add_sort_actions(view)
        self.cards.add_size_menu(view)
        self.theme.add_menu(view)

    # -- start-up and the index ------------------------------------------------------------

    def start(self) -> None:
        """Open the index on the worker, then sync the library and search; called once the window is on screen."""
        self.theme.follow_system()
        self.session.open(self.data_dir)

    # The session's state, as the tests read it.
    index = property(lambda self: self.session.index)
    result = property(lambda self: self.session.result)
    answer = property(lambda self: self.session.answer)
    searcher = property(lambda self: self.session.searcher)

    # -- searching -------------------------------------------------------------------------

    def search_for(self, query: str) -> None:
        """Replace the query (e.g. with an actor from the side panel) and show the results."""
        self.query_bar.set_query(query)
        self.result_list.setFocus()

    def _withdraw_message(self, text: str) -> None:
        """Clear a status message that no longer holds, unless another has replaced it."""
        if self.statusBar().currentMessage() == text:
            self.statusBar().clearMessage()

    @property
    def stored(self) -> StoredArticle | None:
        return self.reader.stored

    @stored.setter
    def stored(self, stored: StoredArticle | None) -> None:
        self.reader.set_stored(stored)

    # -- window-wide commands --------------------------------------------------------------

    @command("back")
    def go_back(self) -> None:
        """Esc: closes the cheat sheet when it is the active window, else moves back a pane."""
        if not self.help.close_cheat_sheet():
            self.focus.back()

    # -- the library (drag and drop and a second launch reach the window) ----------------

    library = property(lambda self: self.library_actions.library)
    feeds = property(lambda self: self.library_actions.feeds)

    def add_paths(self, paths: list[str]) -> None:
        self.library_actions.add_paths(paths)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt's name)
        self.library_actions.accept_drag(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt's name)
        self.library_actions.drop(event)

    def handle_arguments(self, args: list[str]) -> None:
        """Arguments handed over by a second launch: bring the window forward, add any paths."""
        self.showNormal()
        self.raise_()
        self.activateWindow()
        self.library_actions.add_arguments(args)

    @command("quit")
    def quit(self) -> None:
        self.close()

    def _splitters(self) -> dict[str, QSplitter]:
        return {"splitter": self.splitter, "left_splitter": self.left_splitter}

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        save_layout(self.settings, self, self._splitters())
        self.query_bar.save(self.settings)
        self.cards.save()
        self.settings.sync()
        self.session.stop()
        # What is being written finishes first (a correction, a brief, a note, a watch item);
        # what is being read finishes before the index and store close under it.
        self.watches.finish()
        for pane in ("corrections", "brief", "notes", "entity_pages", "corroboration"):
            getattr(self, pane).runner.wait(10000)
        self.library_actions.wait()
        self.session.close_index()
        self.indexing.stop()
        super().closeEvent(event)
