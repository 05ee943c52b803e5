"""The model's input guard: long space-free runs are blanked in place, everything else is untouched."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.extract.guard import LONG_RUN_CHARS, defuse_long_runs


def test_normal_text_is_unchanged() -> None:
    text = (
        "Officials in Paris said on Monday that 1,200 people (about 3.5%) left.\n\n"
        "See https://example.org/news/2024/05/01/port-reopens for more — “quoted”\ttext.\n"
    )
    assert defuse_long_runs(text) == text


def test_a_run_at_the_limit_is_kept_and_one_longer_is_blanked_in_place() -> None:
    kept = "x" * LONG_RUN_CHARS
    blanked = "*" * (LONG_RUN_CHARS + 1)
    text = f"Before {kept} middle {blanked} after."
    defused = defuse_long_runs(text)
    assert len(defused) == len(text)
    assert defused == f"Before {kept} middle {' ' * len(blanked)} after."
    assert defused.index("after.") == text.index("after.")


def test_runs_glued_to_words_go_whole_and_a_custom_limit_applies() -> None:
    glued = "[[[[[word]]]]]"  # 14 characters
    assert defuse_long_runs(f"a {glued} b", limit=13) == "a " + " " * 14 + " b"
    assert defuse_long_runs(f"a {glued} b", limit=14) == f"a {glued} b"
    with pytest.raises(ValueError, match="limit"):
        defuse_long_runs("text", limit=0)


def test_a_20000_character_run_is_defused_in_milliseconds() -> None:
    text = "Officials in Paris said on Monday. " + "*" * 20_000 + " The port reopened."
    started = time.perf_counter()
    defused = defuse_long_runs(text)
    elapsed = time.perf_counter() - started
    assert len(defused) == len(text) and "*" not in defused
    assert defused.startswith("Officials in Paris said") and defused.endswith("port reopened.")
    assert elapsed < 0.05, f"{elapsed * 1000:.0f} ms"


@given(st.text(alphabet=st.sampled_from("ab*[ \n\t\u00a0é1"), max_size=300), st.integers(1, 12))
def test_only_long_runs_change_and_only_to_spaces(text: str, limit: int) -> None:
    defused = defuse_long_runs(text, limit)
    assert len(defused) == len(text)
    for before, after in zip(text, defused, strict=True):
        assert after == before or (after == " " and not before.isspace())
    assert all(len(run) <= limit for run in defused.split())
    changed = [i for i, (b, a) in enumerate(zip(text, defused, strict=True)) if b != a]
    for i in changed:  # a changed character sat in a run longer than the limit
        start = i
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        end = i
        while end < len(text) and not text[end].isspace():
            end += 1
        assert end - start > limit
