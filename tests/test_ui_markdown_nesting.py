"""Lists and quotes nested too deep are flattened with a notice: their text is kept, the rest renders as usual."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from pytestqt.qtbot import QtBot

from search.models import Article, Extraction, StoredArticle
from ui.article_view import ArticleView
from ui.markdown import (
    MAX_BRACKET_DEPTH,
    MAX_CONTAINER_DEPTH,
    MAX_INLINE_DEPTH,
    nesting_notice,
    render_article,
    render_body,
)

ROOT = Path(__file__).resolve().parent.parent


def markdown(body: str) -> Article:
    return Article("n1", "/n1.md", "Nested", body, "md", "h", date="2024-05-01")


def test_nesting_up_to_the_limit_renders_as_markdown_without_a_notice() -> None:
    html = render_article(markdown("> " * MAX_CONTAINER_DEPTH + "innermost\n"))
    assert html.count("<blockquote>") == MAX_CONTAINER_DEPTH
    assert "<p>innermost</p>" in html
    assert "nests" not in html


def test_a_deeper_list_is_flattened_and_what_follows_renders_as_usual() -> None:
    body = "Intro paragraph.\n\n" + "- " * 30 + "deep item\n\n## After\n\nTail *text*.\n"
    html = render_article(markdown(body))
    assert html.count("<ul>") == MAX_CONTAINER_DEPTH
    assert "deep item" in html and "- deep item" not in html
    assert "<h2>After</h2>" in html and "<p>Tail <em>text</em>.</p>" in html
    assert html.index(nesting_notice(30)) < html.index("Intro paragraph.")


def test_flattened_lines_keep_paragraph_breaks_lazy_lines_and_inline_markup() -> None:
    deep = "> " * 25
    body = f"{deep}first **bold** line\nlazy continuation\n{deep}\n{deep}second paragraph\n"
    html = render_article(markdown(body))
    assert html.count("<blockquote>") == MAX_CONTAINER_DEPTH
    assert "<p>first <strong>bold</strong> line\nlazy continuation</p>" in html
    assert "<p>second paragraph</p>" in html
    assert nesting_notice(25) in html


def test_quotes_and_lists_count_together_towards_the_depth() -> None:
    body = "> - " * 15 + "mixed\n"
    html = render_body(markdown(body))
    assert html.count("<blockquote>") + html.count("<ul>") == MAX_CONTAINER_DEPTH
    assert "mixed" in html
    assert nesting_notice(30) in render_article(markdown(body))


MARKERS = ["> ", ">", "- ", "* ", "+ ", "1. ", "2) ", "  "]
# Each line: a short pattern of markers repeated up to 60 times, a word, then a blank or lazy line.
nested_lines = st.lists(
    st.tuples(
        st.lists(st.sampled_from(MARKERS), min_size=1, max_size=3),
        st.integers(0, 3 * MAX_CONTAINER_DEPTH),
        st.sampled_from(["", "\n", "\nlazy line"]),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(nested_lines)
def test_every_word_survives_any_nesting_and_shallow_markdown_is_untouched(
    lines: list[tuple[list[str], int, str]],
) -> None:
    source = "".join(
        "".join(pattern) * repeats + f"word{n}{after}\n"
        for n, (pattern, repeats, after) in enumerate(lines)
    )
    html = render_body(markdown(source))
    for n in range(len(lines)):
        assert re.search(rf"\bword{n}\b", html), f"word{n} lost from {source!r}"
    plain = MarkdownIt("js-default")
    if max(token.level for token in plain.parse(source)) <= MAX_CONTAINER_DEPTH:
        assert html == plain.render(source)


def test_emphasis_nested_thousands_deep_keeps_its_text_and_only_the_outer_tags(
    qtbot: QtBot, tmp_path: Path
) -> None:
    body = (
        "*" * 10_000
        + "deepemphasis"
        + "*" * 10_000
        + "\n\n[[[[[*a **b [c](https://x.org)***]]]]]\n"
    )
    html = render_body(markdown(body))
    deep = html.split("</p>")[0]
    assert deep.count("<strong>") == deep.count("</strong>") == MAX_INLINE_DEPTH
    assert "deepemphasis" in deep
    assert html.endswith(
        '<p>[[[[[<em>a <strong>b <a href="https://x.org">c</a></strong></em>]]]]]</p>\n'
    )
    view = ArticleView()
    qtbot.addWidget(view)

    def showing(depth: int) -> float:
        """The best of three times to show an article of `depth` nested emphasis markers."""
        text = "*" * depth + "deepemphasis" + "*" * depth
        article = Article("n3", str(tmp_path / "n3.md"), "Emphatic", text, "md", "h")
        times = []
        for _ in range(3):
            started = time.perf_counter()
            view.show_article(StoredArticle(article, Extraction()), ["deepemphasis"])
            times.append(time.perf_counter() - started)
        assert view.hit_count() == 1
        return min(times)

    # The nesting is capped, so ten times the markers costs about ten times as much (reading
    # them), not a hundred (Qt took 2 s for 5,000 nested <strong> before the cap, and its cost
    # grew much faster than the depth): a scaling ratio, not a wall-clock bound.
    shallow, deep_time = showing(1_000), showing(10_000)
    assert deep_time < 30 * shallow + 0.05, f"{shallow:.3f} s → {deep_time:.3f} s"


def test_containers_still_interrupt_paragraphs() -> None:
    html = render_body(markdown("A paragraph\n- an item\n\nAnother\n> a quote\n"))
    assert "<ul>\n<li>an item</li>\n</ul>" in html
    assert "<blockquote>\n<p>a quote</p>" in html


def test_the_notice_sits_in_the_header_so_hits_and_mentions_stay_in_the_body(
    qtbot: QtBot, tmp_path: Path
) -> None:
    body = "- " * 10_000 + "deeplist nests\n\n" + "1. " * 10_000 + "deepordered\n\nThe end.\n"
    article = Article("n2", str(tmp_path / "n2.md"), "Nested", body, "md", "h")
    view = ArticleView()
    qtbot.addWidget(view)
    started = time.perf_counter()
    view.show_article(StoredArticle(article, Extraction()), ["nests"])
    elapsed = time.perf_counter() - started
    text = view.toPlainText()
    assert nesting_notice(10_000) in text
    assert "deeplist" in text and "deepordered" in text and "The end." in text
    assert view.hit_count() == 1  # the body's 'nests', not the notice's
    assert elapsed < 5, f"showing took {elapsed:.1f} s"


def test_brackets_nested_thousands_deep_show_as_plain_text_quickly() -> None:
    body = "Before [a link](https://x.org).\n\n" + "![" * 30_000 + "deepimage" + "]" * 30_000 + "\n"
    started = time.perf_counter()
    html = render_body(markdown(body))
    elapsed = time.perf_counter() - started
    assert elapsed < 1, f"rendering took {elapsed:.1f} s"  # markdown-it's link rules took 7 s
    assert '<p>Before <a href="https://x.org">a link</a>.</p>' in html
    assert "<p>" + "![" * 30_000 + "deepimage" + "]" * 30_000 + "</p>" in html


def test_brackets_up_to_the_limit_render_as_markdown() -> None:
    inner = "[x](https://x.org)"
    source = "[" * (MAX_BRACKET_DEPTH - 1) + inner + "]" * (MAX_BRACKET_DEPTH - 1) + "\n"
    assert render_body(markdown(source)) == MarkdownIt("js-default").render(source)
    assert '<a href="https://x.org">' in render_body(markdown(source))
    too_deep = "[" + source
    assert '<a href="https://x.org">' not in render_body(markdown(too_deep))


@pytest.mark.parametrize(
    "source",
    ["- - -\n", "***\n", " _ _ _ _\n", "- - - x\n", "text\n---\n", "* * *x\n", "- " * 30 + "-\n"],
)
def test_thematic_breaks_render_as_markdown_does(source: str) -> None:
    assert render_body(markdown(source)) == MarkdownIt("js-default").render(source)


def test_a_long_deep_list_line_is_not_scanned_again_at_every_level() -> None:
    body = ("- " * 1_000 + "x\n") * 300
    started = time.perf_counter()
    html = render_body(markdown(body))
    elapsed = time.perf_counter() - started
    assert html.count("<p>x</p>") == 300
    assert elapsed < 1.5, (
        f"rendering took {elapsed:.1f} s"
    )  # the hr rule made it ~1.3 s per 300 lines


def test_opening_the_window_does_not_import_markdown_it() -> None:
    code = "import sys, ui.main_window; print('markdown_it' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
