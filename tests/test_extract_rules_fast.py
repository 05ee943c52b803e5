"""The rules' fast paths find what the patterns they replaced found (those patterns were built per text)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from search.extract.actors import NAME_NOT_POSSESSIVE_RE, possessive_is_name
from search.extract.normalise import name_key, name_keys
from search.extract.pipeline import _written_forms
from search.extract.places import _rows_by_key

# Few letters, so that forms and names recur in the generated texts.
ALPHABET = "AaBb .'’s-_\n\x00Σσ"
TEXTS = st.text(alphabet=ALPHABET, max_size=60)


def _alternation_spans(text: str, forms: list[str]) -> list[tuple[int, int]]:
    """The propagation pass's former pattern: one alternation of the forms, longest first."""
    pattern = re.compile(
        r"(?<![\w.])(?:"
        + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        + r")(?![\w])"
    )
    return [m.span() for m in pattern.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=5), min_size=1, max_size=6))
def test_written_forms_match_the_alternation_they_replace(text: str, forms: list[str]) -> None:
    forms = list(dict.fromkeys(forms))
    assert list(_written_forms(text, forms)) == _alternation_spans(text, forms)


def _possessive_by_patterns(text: str, start: int, end: int) -> bool:
    surface = text[start:end]
    if len(surface) < 4 or surface[-2:] not in {"'s", "’s"} or " " in surface:
        return False
    if surface[:-2].isupper():
        return False
    bare = re.escape(surface[:-2])
    if re.search(rf"(?<![\w'’]){bare}(?![\w'’])", text):
        return False
    return any(
        NAME_NOT_POSSESSIVE_RE.match(text, m.end())
        for m in re.finditer(rf"(?<![\w'’]){bare}['’]s\b", text)
    )


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="Fosterb'’ .,s", max_size=40), st.data())
def test_possessive_is_name_agrees_with_the_patterns_it_replaced(
    text: str, data: st.DataObject
) -> None:
    text = "Foster's said " + text + " Foster's"
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert possessive_is_name(text, start, end) == _possessive_by_patterns(text, start, end)


@given(st.lists(st.text(max_size=12), max_size=8))
def test_name_keys_are_name_key_of_each(names: list[str]) -> None:
    assert name_keys(names) == [name_key(n) for n in names]


def test_every_gazetteer_name_is_filed_under_its_name_key() -> None:
    for key, rows in _rows_by_key().items():
        assert {name_key(row.split("\t")[0]) for row in rows} == {key}
