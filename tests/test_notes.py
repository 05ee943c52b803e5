"""Notes, highlights and read marks in the user's store: kept across a rebuild, searchable with
`note:`, highlights found again by their words after the article changes, and the card's so-what."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_entities import article_titled, extract_names, titles, write_library

from search.api import Library
from search.card import build_card
from search.highlights import add_highlight, highlights, locate_highlight, quote_selector
from search.index import ArticleIndex
from search.notes import (
    MAX_SO_WHAT_CHARS,
    NoteError,
    clear_note,
    get_note,
    list_notes,
    mark_read,
    read_ids,
    set_note,
    so_whats,
)
from search.notes_cli import article_text


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return write_library(tmp_path / "lib")


@pytest.fixture
def index(tmp_path: Path, library: Path) -> Iterator[ArticleIndex]:
    ix = ArticleIndex.open(tmp_path / "data")
    ix.sync([library], extractor=extract_names)  # type: ignore[arg-type]
    yield ix
    ix.close()


def test_a_note_is_set_in_parts_listed_and_cleared(index: ArticleIndex) -> None:
    one = article_titled(index, "One")
    store = index.store
    assert get_note(store, one) is None
    set_note(store, one, so_what="  Labour's   majority\nis safe ")
    note = set_note(store, one, body="Ask the whips.")
    assert note is not None
    assert (note.so_what, note.body) == ("Labour's majority is safe", "Ask the whips.")
    assert get_note(store, one) == note
    assert [n.article_id for n in list_notes(store)] == [one]
    assert so_whats(store, [one, "nothing"]) == {one: "Labour's majority is safe"}
    with pytest.raises(NoteError, match="one line"):
        set_note(store, one, so_what="x" * (MAX_SO_WHAT_CHARS + 1))
    # Emptied, a note goes (no empty row left to print or find).
    assert set_note(store, one, so_what="", body="") is None
    assert get_note(store, one) is None and list_notes(store) == []
    set_note(store, one, body="back")
    assert clear_note(store, one) and not clear_note(store, one)


def test_note_clauses_search_the_notes_with_the_rest_of_the_query(index: ArticleIndex) -> None:
    one, two = article_titled(index, "One"), article_titled(index, "Two")
    set_note(index.store, one, so_what="Urgent: the Minister must see this")
    set_note(index.store, two, body="Not urgent; résumé of the Telegraph line")
    assert titles(index, "note:urgent") == ["One", "Two"]
    assert titles(index, 'note:"minister must"') == ["One"]
    assert titles(index, "note:resume") == ["Two"]  # accents fold, as in the index
    assert titles(index, "note:urg*") == ["One", "Two"]
    assert titles(index, "note:urgnt~") == ["One", "Two"]
    assert titles(index, "note:urgent Miliband") == ["One", "Two"]
    assert titles(index, "note:urgent place:Nara") == ["One"]
    assert titles(index, "note:urgent NOT note:minister") == ["Two"]
    assert titles(index, "NOT note:nothing") == ["One", "Three", "Two"]
    assert titles(index, "note:nothing") == []
    # The notes' words are not the articles': the body's words are not found by note:.
    assert titles(index, "note:Miliband") == []
    bad = index.search("note:[a to b]")
    assert bad.error and "note: takes words" in bad.error
    empty = index.search("note:")
    assert empty.error and "'note:' at character 1 has no value" in empty.error
    unknown = index.search("notes:urgent")
    assert unknown.error and "unknown field 'notes:'" in unknown.error and "note" in unknown.error


def test_a_note_clause_sees_a_note_changed_since_the_last_search(index: ArticleIndex) -> None:
    three = article_titled(index, "Three")
    assert titles(index, "note:amman") == []
    set_note(index.store, three, body="Amman visit")
    assert titles(index, "note:amman") == ["Three"]


TEXT = (
    "Alpha beta gamma.\n\nThe minister said the talks would resume on Monday, the aide said. "
    "Later the talks would resume again, officials added."
)


def test_a_highlight_is_found_by_its_words_after_text_is_added_before_it() -> None:
    start = TEXT.index("talks would resume")
    selector = quote_selector(TEXT, start, start + len("talks would resume on"))
    assert selector.exact == "talks would resume on"
    assert selector.prefix.endswith("minister said the ") and selector.suffix.startswith(" Monday")
    edited = "A new opening paragraph.\n\n" + TEXT.replace("Alpha", "ALPHA")
    found = locate_highlight(edited, selector)
    assert found is not None
    assert edited[found[0] : found[1]] == "talks would resume on"
    assert found[0] == edited.index("The minister") + len("The minister said the ")


def test_the_same_words_elsewhere_are_not_taken_for_a_highlight_whose_text_is_gone() -> None:
    start = TEXT.index("talks would resume")
    selector = quote_selector(TEXT, start, start + len("talks would resume"))
    # The first occurrence (the highlighted one) is rewritten; the second remains, in another
    # context: it must not silently become the highlight.
    edited = TEXT.replace("said the talks would resume on Monday", "said the talks had ended")
    assert "talks would resume" in edited
    assert locate_highlight(edited, selector) is None
    assert locate_highlight("nothing like it", selector) is None


def test_of_two_equal_passages_the_one_in_the_highlights_context_is_chosen() -> None:
    second = TEXT.index("talks would resume again")
    selector = quote_selector(TEXT, second, second + len("talks would resume"))
    found = locate_highlight(TEXT.replace("\n\n", "\n   \n"), selector)  # re-wrapped, too
    assert found is not None
    assert TEXT.replace("\n\n", "\n   \n")[found[1] :].startswith(" again")


def test_highlights_and_notes_survive_a_rebuild_and_an_edit_of_the_file(
    index: ArticleIndex, library: Path
) -> None:
    one = article_titled(index, "One")
    stored = index.get(one)
    assert stored is not None
    text = article_text(stored)
    start = text.index("Ed Miliband spoke")
    mark = add_highlight(index.store, one, quote_selector(text, start, start + 17))
    set_note(index.store, one, so_what="Watch Nara")
    mark_read(index.store, one)
    index.sync([library], rebuild=True, extractor=extract_names)  # type: ignore[arg-type]
    path = library / "one.md"
    path.write_text(
        path.read_text().replace("Labour Party wins", "After a long night, Labour Party wins")
    )
    index.sync([library], extractor=extract_names)  # type: ignore[arg-type]
    stored = index.get(one)
    assert stored is not None and "After a long night" in stored.article.body
    assert highlights(index.store, one) == [mark]
    text = article_text(stored)
    found = locate_highlight(text, mark)
    assert found is not None and text[found[0] : found[1]] == "Ed Miliband spoke"
    assert get_note(index.store, one) is not None and read_ids(index.store) == {one}
    assert titles(index, "note:nara") == ["One"]
    # The sentence is rewritten: the highlight is reported gone, not moved.
    path.write_text(path.read_text().replace("Ed Miliband spoke in Nara", "Nobody spoke"))
    index.sync([library], extractor=extract_names)  # type: ignore[arg-type]
    stored = index.get(one)
    assert stored is not None and locate_highlight(article_text(stored), mark) is None


def test_the_card_prints_the_so_what_the_library_gives(index: ArticleIndex) -> None:
    library = Library(index)
    one = article_titled(index, "One")
    library.set_note(one, so_what="Labour holds; brief the Minister")
    stored = library.get(one)
    assert stored is not None
    card = build_card(stored, so_what=library.so_whats([one]).get(one, ""))
    assert card.so_what == "Labour holds; brief the Minister"
    assert build_card(stored).so_what == ""
    text = article_text(stored)
    mark = library.add_highlight(one, text, 0, 12)
    assert library.highlights(one) == [mark] and mark.exact == text[:12]
    assert library.remove_highlight(mark.id) and library.highlights(one) == []
    library.mark_read(one)
    assert library.read_ids() == {one}
