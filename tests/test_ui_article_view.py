"""The article view: markdown rendered safely, nothing fetched from the network, mentions mapped to the text."""

from __future__ import annotations

import contextlib
import http.server
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from search.models import Article, Extraction, Span, StoredArticle
from ui.article_view import ArticleView
from ui.markdown import render_article, render_body


def make_article(body: str, path: Path, fmt: str = "md") -> StoredArticle:
    article = Article(
        id="a1",
        path=str(path),
        title="A test article",
        body=body,
        format=fmt,  # type: ignore[arg-type]
        content_hash="h",
        date="2024-05-01",
        source="Test Wire",
    )
    return StoredArticle(article, Extraction())


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        _CountingHandler.requests.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def counting_server() -> Iterator[tuple[int, list[str]]]:
    _CountingHandler.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], _CountingHandler.requests
    server.shutdown()
    server.server_close()


def test_remote_images_cause_no_network_request(
    qtbot: QtBot, tmp_path: Path, counting_server: tuple[int, list[str]]
) -> None:
    port, requests = counting_server
    base = f"http://127.0.0.1:{port}"
    body = (
        f"Before ![x]({base}/a.png) after.\n\n"
        f'<img src="{base}/raw.png">\n\n'
        f"![local escape](/etc/hostname) and ![up](../outside.png)\n\n"
        f"[a link]({base}/page)\n"
    )
    (tmp_path / "outside.png").write_bytes(b"not really")
    folder = tmp_path / "articles"
    folder.mkdir()
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    view.show_article(make_article(body, folder / "a.md"), [])
    qtbot.wait(300)
    assert requests == []
    assert f"{base}/a.png" in view.blocked_urls
    assert any("hostname" in url for url in view.blocked_urls)
    assert any("outside.png" in url for url in view.blocked_urls)
    # Raw HTML is shown as text, not rendered.
    assert '<img src="' in view.toPlainText()
    # Activating the link would hand it to the system browser; nothing is fetched by the view.
    assert view.openLinks() is False and view.openExternalLinks() is False
    # The server does count requests: a direct one is seen.
    with contextlib.suppress(urllib.error.HTTPError):
        urllib.request.urlopen(f"{base}/direct.png", timeout=5)
    assert requests == ["/direct.png"]


def test_an_image_inside_the_articles_folder_loads(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtGui import QColor, QImage

    image = QImage(4, 4, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    image.save(str(tmp_path / "chart.png"))
    view = ArticleView()
    qtbot.addWidget(view)
    view.show_article(make_article("![chart](chart.png)\n", tmp_path / "a.md"), [])
    loaded = view.loadResource(QTextDocument.ResourceType.ImageResource.value, QUrl("chart.png"))
    assert isinstance(loaded, QImage) and loaded.width() == 4
    assert view.blocked_urls == []


def test_markdown_uses_js_default_raw_html_off() -> None:
    html = render_body(
        Article(
            "x",
            "/x.md",
            "t",
            "<script>alert(1)</script>\n\n[bad](javascript:alert(1)) **ok**",
            "md",
            "h",
        )
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert "<strong>ok</strong>" in html


def test_plain_text_keeps_its_paragraphs_and_is_escaped() -> None:
    html = render_body(
        Article("x", "/x.txt", "t", "One <b>line</b>\nsame para\n\nSecond", "txt", "h")
    )
    assert html == "<p>One &lt;b&gt;line&lt;/b&gt;<br>same para</p>\n<p>Second</p>\n"


def test_header_is_title_then_meta() -> None:
    stored = make_article("Body", Path("/x.md"))
    assert render_article(stored.article).startswith(
        '<h1>A test article</h1>\n<p class="meta">2024-05-01 · Test Wire</p>'
    )


def test_mentions_map_to_the_rendered_text_through_markup(qtbot: QtBot, tmp_path: Path) -> None:
    body = (
        "# Talks\n\n**Sanae Takaichi** met [Lee](https://example.org) in *Nara*.\n"
        "Later Takaichi said Nara\nwas ready; Sanae\nTakaichi left.\n"
    )
    view = ArticleView()
    qtbot.addWidget(view)
    view.show_article(make_article(body, tmp_path / "a.md"), [])
    spans = []
    for surface in ("Sanae Takaichi", "Takaichi", "Nara", "Sanae\nTakaichi"):
        start = 0
        while (found := body.find(surface, start)) >= 0:
            spans.append(Span(found, found + len(surface)))
            start = found + 1
    for span in spans:
        cursor = view.cursor_for_span(span)
        assert cursor is not None, span
        assert cursor.selectedText() == " ".join(body[span.start : span.end].split())
    # The k-th "Nara" in the source is the k-th in the document.
    naras = [s for s in spans if body[s.start : s.end] == "Nara"]
    positions = [view.cursor_for_span(s).selectionStart() for s in naras]
    assert positions == sorted(positions) and len(set(positions)) == len(naras) == 2
    assert view.highlight_spans(naras) == 2
    assert view.current_hit_text() == "Nara"


def test_query_terms_are_highlighted_by_word_prefix(qtbot: QtBot, tmp_path: Path) -> None:
    view = ArticleView()
    qtbot.addWidget(view)
    body = "Summits and summit talks. Resummit is not a word; SUMMIT shouts."
    view.show_article(make_article(body, tmp_path / "a.md"), ["summit"])
    assert view.hit_count() == 3  # Summits, summit, SUMMIT: words starting with the term
    texts = []
    for _ in range(3):
        view.step_hit(1)
        texts.append(view.current_hit_text())
    assert texts == ["Summits", "summit", "SUMMIT"]
    view.step_hit(1)
    assert view.current_hit_text() == "Summits"  # wraps around
    view.step_hit(-1)
    assert view.current_hit_text() == "SUMMIT"
    # The title is not part of the body's hits.
    view.show_article(make_article("nothing here", tmp_path / "a.md"), ["test"])
    assert view.hit_count() == 0
