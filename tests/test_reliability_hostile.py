"""Reliability: hostile articles render and print without fetching anything or running anything."""

from __future__ import annotations

import html
import re
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from search.index import ArticleIndex
from search.models import Article, Extraction, StoredArticle
from search.read import read_article
from ui.article_view import ArticleView
from ui.markdown import render_article
from ui.results import snippet_html

HOSTILE_DIR = Path(__file__).resolve().parent / "hostile"
# The fixtures name their bait server as {BAIT}; the test fills in a real 127.0.0.1 port.
BAIT = "{BAIT}"
BAIT_HOSTPORT = "{BAIT_HOSTPORT}"
# Executable or embedding markup that must never reach the rendered document as markup.
FORBIDDEN_TAGS = re.compile(
    r"<\s*(script|iframe|frame|object|embed|style|link|meta|base|svg|form|video|audio)\b", re.I
)
JAVASCRIPT_HREF = re.compile(r"""(href|src)\s*=\s*["']?\s*(javascript|vbscript|data:text)""", re.I)


class BaitServer:
    """An HTTP server on 127.0.0.1 that records every request it gets (there should be none)."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        requests = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                requests.append(self.path)
                body = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
                self.send_response(200)
                self.send_header("Content-Type", "image/gif")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass  # requests are asserted on, not logged

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def bait() -> Iterator[BaitServer]:
    server = BaitServer()
    yield server
    server.close()


@pytest.fixture
def hostile_library(tmp_path: Path, bait: BaitServer) -> Path:
    """The hostile fixtures copied beside a private folder, with the bait server's address filled in."""
    lib = tmp_path / "library"
    lib.mkdir()
    for fixture in sorted(HOSTILE_DIR.iterdir()):
        text = fixture.read_text(encoding="utf-8")
        text = text.replace(BAIT_HOSTPORT, bait.url.removeprefix("http://")).replace(BAIT, bait.url)
        (lib / fixture.name).write_text(text, encoding="utf-8")
    # A real image outside the article's folder, that a ../ path in the article points at.
    (tmp_path / "outside.gif").write_bytes(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")
    return lib


def hostile_articles(lib: Path) -> list[Article]:
    return [read_article(path) for path in sorted(lib.iterdir())]


def test_the_fixtures_are_hostile(hostile_library: Path, bait: BaitServer) -> None:
    # Guards the other tests: the bait really is in every fixture, so "no request" means something.
    for path in hostile_library.iterdir():
        assert bait.url in path.read_text(encoding="utf-8"), path.name
    sources = "".join(p.read_text(encoding="utf-8") for p in hostile_library.iterdir())
    for needle in ("<script", "<iframe", "javascript:", "url(", "<img", "!["):
        assert needle in sources


def test_rendered_html_contains_nothing_executable(hostile_library: Path) -> None:
    for article in hostile_articles(hostile_library):
        html = render_article(article)
        assert not FORBIDDEN_TAGS.search(html), (article.path, FORBIDDEN_TAGS.search(html))
        assert not JAVASCRIPT_HREF.search(html), (article.path, JAVASCRIPT_HREF.search(html))
        assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", html, re.I), article.path


def test_article_view_makes_no_request_and_opens_no_unsafe_link(
    hostile_library: Path, bait: BaitServer, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        "ui.article_view.QDesktopServices.openUrl", lambda url: opened.append(url.toString())
    )
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    for article in hostile_articles(hostile_library):
        view.show_article(StoredArticle(article, Extraction()), ["bait"])
        qtbot.wait(50)  # let the view lay out and ask for its resources
        document = view.toHtml()
        assert not JAVASCRIPT_HREF.search(document), article.path
        assert "alert(" not in view.toPlainText() or "<script" not in document.lower()
    qtbot.wait(300)
    assert bait.requests == [], f"the article view fetched {bait.requests}"
    # The remote images were asked for and refused, so the check above was not vacuous.
    assert any(bait.url in url for url in view.blocked_urls), view.blocked_urls
    assert any("outside.gif" in url for url in view.blocked_urls), view.blocked_urls

    for unsafe in (
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
    ):
        view.anchorClicked.emit(QUrl(unsafe))
    assert opened == []
    assert bait.requests == []


def test_printing_hostile_cards_makes_no_request(
    hostile_library: Path, bait: BaitServer, tmp_path: Path
) -> None:
    from ui.printing import render_cards_pdf

    stored = [StoredArticle(a, Extraction()) for a in hostile_articles(hostile_library)]
    out = tmp_path / "cards.pdf"
    render_cards_pdf(stored, out, "a6")
    assert out.stat().st_size > 0
    assert bait.requests == [], f"printing fetched {bait.requests}"
    pdf = out.read_bytes()
    # A PDF that runs script or opens a URL on its own carries these actions.
    for action in (b"/JavaScript", b"/Launch", b"/SubmitForm", b"/URI (javascript"):
        assert action not in pdf, action
    # Markup in a headline is printed as the text it is, not interpreted (and so not dropped).
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "<script>" in " ".join(text.split())


def test_search_snippets_of_hostile_articles_carry_no_markup_but_the_marks(
    hostile_library: Path, tmp_path: Path
) -> None:
    # The results list renders snippets as rich text: it escapes the engine's plain text.
    index = ArticleIndex.open(tmp_path / "data")
    index.sync(
        [hostile_library], processes=1, extractor=lambda texts: [Extraction() for _ in texts]
    )
    hits = []
    for query in ("bait", "script OR alert OR img OR iframe", "javascript", "title:script"):
        hits.extend(index.search(query, limit=50).hits)
    assert len(hits) >= 4
    for hit in hits:
        shown = snippet_html(hit.snippet)
        tags = re.findall(r"<[^>]*>", shown)
        assert set(tags) <= {"<b>", "</b>"}, (hit.path, tags)
        assert "<" not in re.sub(r"</?b>", "", shown), shown
        assert html.unescape(re.sub(r"</?b>", "", shown)) == hit.snippet.text
    index.close()
