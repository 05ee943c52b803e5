"""Feed subscriptions against a feed server on 127.0.0.1: subscribe, update politely, full text, failures."""

from __future__ import annotations

import html
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import main
import search.feeds
import search.index
from search.feed_entries import escape_markdown
from search.feeds import (
    FEEDS_FILE,
    FeedProgress,
    entry_folder,
    load_subscriptions,
    subscribe,
    update_feeds,
)
from search.fetch import FetchError, fetch
from search.models import Extraction
from search.read import read_article

WAIT_MS = 60_000


@dataclass
class Route:
    body: bytes
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


class FeedServer(ThreadingHTTPServer):
    """Serves `routes` by path; a route with an ETag answers 304 to a matching If-None-Match."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def asked(self, path: str) -> list[dict[str, str]]:
        return [headers for asked, headers in self.requests if asked == path]


class _Handler(BaseHTTPRequestHandler):
    server: FeedServer

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.server.requests.append((self.path, dict(self.headers)))
        route = self.server.routes.get(self.path)
        if route is None:
            self.send_error(404, "Not Found")
            return
        time.sleep(route.delay)
        etag, since = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
        unchanged = (etag is not None and etag == route.etag) or (
            since is not None and since == route.last_modified
        )
        if unchanged:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(route.status)
        self.send_header("Content-Type", route.content_type)
        self.send_header("Content-Length", str(len(route.body)))
        if route.etag:
            self.send_header("ETag", route.etag)
        if route.last_modified:
            self.send_header("Last-Modified", route.last_modified)
        for name, value in route.headers.items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(route.body)
        except OSError:
            pass  # the client gave up (a timeout test)

    def log_message(self, format: str, *args: object) -> None:
        pass


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>Harbour Gazette</title><link>{base}/</link><description>Local news</description>
<item>
  <title>Council approves the new ferry timetable</title>
  <link>{base}/articles/ferry.html</link><guid>ferry-1</guid>
  <pubDate>Mon, 06 Jan 2025 09:00:00 GMT</pubDate>
  <author>desk@gazette.test (Ada Moreno)</author>
  <description>The council approved the ferry timetable.</description>
  <content:encoded><![CDATA[<p>The harbour council approved the new ferry timetable on
  Monday, adding an early crossing for commuters.</p><p>1. The first boat leaves at six; the
  *fastest* crossing takes 40 minutes &amp; costs less.</p><p>Councillor Moreno said the
  timetable would be reviewed in the summer.</p>]]></content:encoded>
</item>
<item>
  <title>Lighthouse keeper retires</title>
  <link>{base}/articles/lighthouse.html</link><guid>lighthouse-2</guid>
  <pubDate>Tue, 07 Jan 2025 08:00:00 GMT</pubDate>
  <description>&lt;p&gt;The keeper of the north light retires after 31 years.&lt;/p&gt;</description>
</item>
<item>
  <title>Market moves to the pier</title>
  <link>{base}/articles/gone.html</link><guid>market-3</guid>
  <description>The Saturday market moves to the pier from March, traders said.</description>
</item>
{more}
</channel>
</rss>
"""

NEW_ITEM = """<item>
  <title>Storm closes the coast road</title>
  <link>{base}/articles/storm.html</link><guid>storm-4</guid>
  <description>&lt;p&gt;The coast road is closed after a storm brought down a sea wall near
  Brackwater; engineers expect it to reopen within a week, the council said.&lt;/p&gt;</description>
  <content:encoded><![CDATA[<p>The coast road is closed after a storm brought down the old
  sea wall near Brackwater. Engineers expect it to reopen within a week.</p>]]></content:encoded>
</item>"""

LIGHTHOUSE_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Lighthouse keeper retires | Harbour Gazette</title></head>
<body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Lighthouse keeper retires</h1>
<p>The keeper of the north light, Tomas Reyes, retires this week after 31 years of climbing the
tower's 120 steps every evening to check the lamp.</p>
<p>He kept a diary of every storm since 1994 and pressed quillwort from the rocks below the
tower between its pages, a habit he says he learnt from the keeper before him.</p>
<p>The harbour trust will automate the light next spring; the keeper's cottage becomes a small
museum that will show the diaries to visitors.</p>
</article>
<footer>Copyright Harbour Gazette. All rights reserved.</footer>
</body></html>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Valley Courier</title><id>urn:valley</id><updated>2025-01-07T10:00:00Z</updated>
<entry>
  <title>Bridge reopens after repairs</title><id>urn:valley:bridge</id>
  <link href="{base}/bridge"/><updated>2025-01-07T10:00:00Z</updated>
  <author><name>Sam Ito</name></author>
  <content type="html">&lt;p&gt;The old stone bridge over the Tamm reopened on Tuesday after
  eight months of repairs, and the tollgate keeper's lodge beside it is now a cafe.&lt;/p&gt;</content>
</entry>
</feed>
"""


@pytest.fixture(autouse=True)
def fast_and_local(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stand-in extractor (no spaCy), no polite pauses between pages, and no proxy."""
    monkeypatch.setattr(
        search.index,
        "_spacy_extractor",
        lambda processes: lambda texts: [Extraction() for _ in texts],
    )
    monkeypatch.setattr(search.feeds, "PAGE_INTERVAL", 0.0)
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    served = FeedServer()
    base = served.url("")
    served.routes["/news.rss"] = Route(RSS.format(base=base, more="").encode(), etag='"v1"')
    served.routes["/articles/lighthouse.html"] = Route(
        LIGHTHOUSE_PAGE.encode(), "text/html; charset=utf-8"
    )
    served.routes["/valley.atom"] = Route(ATOM.format(base=base).encode(), "application/atom+xml")
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    yield served
    served.shutdown()
    served.server_close()


def feeds(data: Path, *args: str) -> int:
    return main.main(["--data-dir", str(data), "feeds", *args])


def search_json(data: Path, query: str, capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()
    assert main.main(["--data-dir", str(data), "search", query, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def stored_files(data: Path) -> list[Path]:
    return sorted((data / "feeds").glob("*/*.md"))


def test_subscribing_writes_each_entry_with_full_text_for_a_summary_and_indexes_them(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert feeds(data, "add", server.url("/news.rss"), "--progress", "none") == 0
    out = capsys.readouterr().out
    assert "Harbour Gazette (" + server.url("/news.rss") + "): 3 new entries" in out
    assert "(1 with full text from the page)" in out
    assert "Market moves to the pier: kept the feed's summary" in out
    assert "articles/gone.html: HTTP 404 Not Found" in out
    assert "added 3," in out  # the library was synced, as `briefing index` syncs it

    files = stored_files(data)
    assert len(files) == 3
    # The word is only on the lighthouse page, not in the feed: found means the full text was read.
    result = search_json(data, "quillwort", capsys)
    assert result["total"] == 1
    hit = result["hits"][0]
    assert hit["title"] == "Lighthouse keeper retires"
    assert hit["source"] == "Harbour Gazette"
    lighthouse = next(f for f in files if f.name.startswith("lighthouse-keeper-retires-"))
    article = read_article(lighthouse)
    assert "pressed quillwort from the rocks" in article.body
    assert "Copyright" not in article.body and "Sport" not in article.body
    assert article.url == server.url("/articles/lighthouse.html")
    assert article.date == "2025-01-07"
    assert "text: page" in lighthouse.read_text(encoding="utf-8")

    ferry = read_article(next(f for f in files if f.name.startswith("council-approves")))
    assert ferry.authors == ["Ada Moreno"] and ferry.date == "2025-01-06"
    assert ferry.source == "Harbour Gazette"
    # The feed carried the whole text: its page was never asked for.
    assert not server.asked("/articles/ferry.html")
    market = next(f for f in files if f.name.startswith("market-moves"))
    assert "The Saturday market moves to the pier" in read_article(market).body
    assert "text: summary" in market.read_text(encoding="utf-8")
    agents = {headers["User-Agent"] for _, headers in server.requests}
    assert all(agent.startswith("BriefingCards/") for agent in agents)


def test_feed_text_is_shown_as_written_not_read_as_markdown(
    server: FeedServer, tmp_path: Path
) -> None:
    from ui.markdown import render_body

    data = tmp_path / "data"
    assert feeds(data, "add", server.url("/news.rss"), "--no-index", "--progress", "none") == 0
    ferry = read_article(next(f for f in stored_files(data) if "ferry" in f.name))
    shown = html.unescape(re.sub(r"<[^>]+>", "", render_body(ferry)))
    assert "1. The first boat leaves at six; the *fastest* crossing takes 40 minutes & costs" in (
        shown.replace("\n", " ")
    )


@pytest.mark.parametrize(
    "text",
    [
        "# Not a heading\n\n1. not a list\n\n- nor this\n\n> nor a quote",
        "*stars* and _underscores_ and `ticks` and [a](link) and <b>tags</b> & &amp; ~~gone~~",
        "A line\n---\n\nTitle\n===\n\n| a | b |\n|---|---|",
        "    indented code?\n\nback\\slash \\* and trailing  ",
    ],
)
def test_escaped_text_renders_as_the_same_text(text: str) -> None:
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("js-default").render(escape_markdown(text))
    assert not re.search(r"<(?!/?p>)[a-z]", rendered), rendered  # only paragraphs
    shown = html.unescape(re.sub(r"</?p>", "", rendered))
    expected = "\n".join(line.strip() for line in text.split("\n"))
    assert shown.split() == expected.split()


def test_an_unchanged_feed_is_not_fetched_too_soon_and_then_answers_304(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert feeds(data, "add", server.url("/news.rss"), "--no-index", "--progress", "none") == 0
    asked = len(server.asked("/news.rss"))
    capsys.readouterr()

    assert feeds(data, "update", "--progress", "none") == 0
    out = capsys.readouterr().out
    assert "checked less than a minute ago; fetched again after 30 minutes (--force" in out
    assert len(server.asked("/news.rss")) == asked  # the polite interval: not even asked

    assert feeds(data, "update", "--force", "--progress", "none") == 0
    out = capsys.readouterr().out
    assert ": not modified" in out and "0 new entries" in out
    assert server.asked("/news.rss")[-1]["If-None-Match"] == '"v1"'
    assert len(stored_files(data)) == 3
    assert "added" not in out  # nothing new: the index is not synced


def test_a_feed_with_last_modified_alone_is_asked_if_modified_since(
    server: FeedServer, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    stamp = "Tue, 07 Jan 2025 10:00:00 GMT"
    server.routes["/valley.atom"].last_modified = stamp
    subscribe(data, server.url("/valley.atom"))
    assert len(update_feeds(data).written) == 1
    (again,) = update_feeds(data, force=True).feeds
    assert again.status == "not modified"
    assert server.asked("/valley.atom")[-1]["If-Modified-Since"] == stamp


def test_only_a_new_entry_is_written_when_the_feed_changes(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert feeds(data, "add", server.url("/news.rss"), "--progress", "none") == 0
    before = {f.name: f.stat().st_mtime_ns for f in stored_files(data)}
    base = server.url("")
    server.routes["/news.rss"] = Route(
        RSS.format(base=base, more=NEW_ITEM.format(base=base)).encode(), etag='"v2"'
    )
    pages = len(server.asked("/articles/lighthouse.html"))
    capsys.readouterr()

    assert feeds(data, "update", "--force", "--progress", "none") == 0
    out = capsys.readouterr().out
    assert "Harbour Gazette (" in out and ": 1 new entry" in out
    assert "added 1," in out
    after = {f.name: f.stat().st_mtime_ns for f in stored_files(data)}
    assert set(after) - set(before) == {next(n for n in after if n.startswith("storm-closes"))}
    assert all(after[name] == mtime for name, mtime in before.items())  # not rewritten
    assert len(server.asked("/articles/lighthouse.html")) == pages  # its page not fetched again
    assert search_json(data, "Brackwater", capsys)["total"] == 1


def test_failing_feeds_are_named_with_the_reason_and_the_others_still_update(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    server.routes["/garbage.xml"] = Route(b"\x89PNG\r\n\x1a\n\x00\x00 not a feed", "text/xml")
    server.routes["/page.html"] = Route(b"<html><body><p>Hello</p></body></html>", "text/html")
    for path in ("/missing.xml", "/garbage.xml", "/page.html", "/valley.atom"):
        subscribe(data, server.url(path))

    assert feeds(data, "update", "--progress", "none") == 1
    out = capsys.readouterr().out
    assert f"{server.url('/missing.xml')}: failed: HTTP 404 Not Found" in out
    assert f"{server.url('/garbage.xml')}: failed: not an RSS or Atom feed" in out
    assert f"{server.url('/page.html')}: failed: not an RSS or Atom feed" in out
    assert f"Valley Courier ({server.url('/valley.atom')}): 1 new entry" in out
    assert "4 feeds: 1 new entry, 3 failed" in out
    assert search_json(data, "tollgate", capsys)["total"] == 1
    listed = {s.url: s.error for s in load_subscriptions(data)}
    assert listed[server.url("/missing.xml")] == "HTTP 404 Not Found"
    assert listed[server.url("/valley.atom")] is None

    capsys.readouterr()
    assert feeds(data, "list") == 0
    out = capsys.readouterr().out
    assert "Valley Courier  " + server.url("/valley.atom") in out
    assert "1 entry in" in out and "failed: HTTP 404 Not Found" in out


def test_a_feed_that_does_not_answer_in_time_is_reported_and_the_next_one_updates(
    server: FeedServer, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    server.routes["/slow.rss"] = Route(b"<rss/>", delay=2.0)
    subscribe(data, server.url("/slow.rss"))
    subscribe(data, server.url("/valley.atom"))
    started = time.monotonic()
    report = update_feeds(data, fetcher=partial(fetch, timeout=0.3))
    assert time.monotonic() - started < 2.0
    slow, valley = report.feeds
    assert (slow.url, slow.status, slow.error) == (
        server.url("/slow.rss"),
        "failed",
        "timed out after 0.3 s",
    )
    assert valley.status == "new entries" and len(valley.written) == 1


def test_a_busy_server_is_left_alone_for_as_long_as_it_asks(
    server: FeedServer, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    server.routes["/busy.rss"] = Route(b"", status=429, headers={"Retry-After": "120"})
    subscribe(data, server.url("/busy.rss"))
    (failed,) = update_feeds(data).feeds
    assert failed.status == "failed"
    assert failed.error == "HTTP 429 Too Many Requests (asked to wait 120 s)"
    (waiting,) = update_feeds(data).feeds
    assert waiting.status == "too soon" and "asked to wait 2 minutes more" in (waiting.error or "")
    assert len(server.asked("/busy.rss")) == 1


def test_a_bad_feeds_file_is_kept_aside_and_reported(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / FEEDS_FILE).write_text('{"feeds": "http://example.com/rss"}', encoding="utf-8")
    assert feeds(data, "list") == 2
    err = capsys.readouterr().err
    assert f"{data / FEEDS_FILE} is not a subscriptions file" in err
    assert "kept as feeds.json.bad-" in err
    (aside,) = data.glob("feeds.json.bad-*")
    assert aside.read_text(encoding="utf-8") == '{"feeds": "http://example.com/rss"}'
    # The next subscription starts a new file.
    assert feeds(data, "add", server.url("/valley.atom"), "--no-index", "--progress", "none") == 0
    assert [s.url for s in load_subscriptions(data)] == [server.url("/valley.atom")]


@pytest.mark.parametrize(
    "content",
    [
        "not json {",
        '{"feeds": [{"url": "file:///etc/passwd", "folder": "x"}]}',
        '{"feeds": [{"url": "http://a.test/rss", "folder": "../../outside"}]}',
        '{"feeds": [{"url": "http://a.test/rss", "folder": "a", "etag": 5}]}',
    ],
)
def test_a_feeds_file_this_program_did_not_write_is_refused(tmp_path: Path, content: str) -> None:
    (tmp_path / FEEDS_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(search.feeds.FeedsFileError, match="kept as feeds.json.bad-"):
        load_subscriptions(tmp_path)


def test_only_web_addresses_are_subscribed_to_or_fetched(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert feeds(data, "add", "file:///etc/passwd", "--progress", "none") == 2
    assert "is not an http(s) address" in capsys.readouterr().err
    base = server.url("")
    server.routes["/local.rss"] = Route(
        RSS.format(base=base, more="")
        .replace(f"{base}/articles/gone.html", "file:///etc/passwd")
        .encode()
    )
    assert feeds(data, "add", server.url("/local.rss"), "--no-index", "--progress", "none") == 0
    assert "no web link to fetch the full text from" in capsys.readouterr().out
    with pytest.raises(FetchError, match="not an http"):
        fetch("file:///etc/passwd", max_bytes=100)


def test_a_subscription_that_fails_is_not_kept(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert feeds(data, "add", server.url("/nothing.rss"), "--progress", "none") == 1
    err = capsys.readouterr().err
    assert f"{server.url('/nothing.rss')}: HTTP 404 Not Found; not subscribed" in err
    assert load_subscriptions(data) == []


def test_a_body_over_the_limit_is_refused(server: FeedServer) -> None:
    server.routes["/big.rss"] = Route(b"x" * 5000)
    with pytest.raises(FetchError, match="too large"):
        fetch(server.url("/big.rss"), max_bytes=1000)


def test_a_cancelled_update_keeps_what_it_wrote_and_asks_for_the_whole_feed_next_time(
    server: FeedServer, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    subscription = subscribe(data, server.url("/news.rss"))
    # Asked before the feed, then before each entry: the second entry is not written.
    answers = iter([False, False, True])
    report = update_feeds(data, cancel=lambda: next(answers, True))
    assert report.cancelled
    assert len(report.written) == 1
    assert load_subscriptions(data)[0].etag is None  # a 304 must not hide the entries not written
    report = update_feeds(data, force=True)
    assert len(report.written) == 2
    assert len(list(entry_folder(data, subscription).glob("*.md"))) == 3


def test_removing_a_feed_keeps_its_entries_unless_asked(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    url = server.url("/valley.atom")
    assert feeds(data, "add", url, "--progress", "none") == 0
    assert feeds(data, "remove", url) == 0
    assert "1 entry kept in" in capsys.readouterr().out
    assert search_json(data, "tollgate", capsys)["total"] == 1
    assert feeds(data, "add", url, "--progress", "none") == 0  # same folder: nothing new
    assert "0 new entries" in capsys.readouterr().out
    assert feeds(data, "remove", url, "--delete-entries", "--progress", "none") == 0
    assert "deleted its 1 entry" in capsys.readouterr().out
    assert search_json(data, "tollgate", capsys)["total"] == 0
    assert feeds(data, "remove", url) == 1


# -- the window ------------------------------------------------------------------------------


def test_the_feed_commands_are_in_the_file_menu() -> None:
    from ui.keymap import COMMANDS_BY_NAME

    for name in ("subscribe_feed", "update_feeds", "cancel_feed_update"):
        assert COMMANDS_BY_NAME[name].menu == "File"


def test_subscribing_in_the_window_fetches_the_feed_off_the_gui_thread_then_indexes_it(
    qtbot, server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.main_window import MainWindow

    data = tmp_path / "data"
    window = MainWindow(data)
    qtbot.addWidget(window)
    started: list[list[str]] = []
    monkeypatch.setattr(
        window.indexing.runner, "start", lambda paths, rebuild=False: started.append(paths)
    )
    monkeypatch.setattr(window.feeds, "ask_url", lambda: server.url("/news.rss"))
    progress: list[FeedProgress] = []
    window.feeds.runner.progress.connect(progress.append)
    shown: list[str] = []
    window.statusBar().messageChanged.connect(shown.append)
    with qtbot.waitSignal(window.feeds.runner.finished, timeout=WAIT_MS):
        window.actions_by_name["subscribe_feed"].trigger()
        assert window.feeds.runner.is_running()  # the window is free meanwhile
    assert progress
    assert started == [[str(data / "feeds")]]
    message = window.statusBar().currentMessage()
    assert message.startswith("Subscribed to Harbour Gazette: 3 new feed entries")
    assert "1 entry kept the feed's summary" in message
    assert (3, 3) in {(p.entries_done, p.entries_total) for p in progress}
    assert "Updating feeds 1/1: Harbour Gazette — entry 3/3…" in shown
    assert not any("entry 4/3" in text for text in shown)
    assert len(stored_files(data)) == 3

    with qtbot.waitSignal(window.feeds.runner.finished, timeout=WAIT_MS):
        window.actions_by_name["update_feeds"].trigger()
    assert (
        window.statusBar().currentMessage() == "0 new feed entries; 1 feed not checked again yet."
    )
    assert started == [[str(data / "feeds")]]  # nothing new: nothing to index


def test_a_feed_entry_opens_in_the_window_with_the_full_text_of_its_page(
    qtbot, server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import Qt

    from ui.main_window import MainWindow

    data = tmp_path / "data"
    assert feeds(data, "add", server.url("/news.rss"), "--progress", "none") == 0
    window = MainWindow(data)
    qtbot.addWidget(window)
    # The library is indexed already; the start-up sync (spaCy, in a child process) is not needed.
    monkeypatch.setattr(window.indexing.runner, "start", lambda paths, rebuild=False: None)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window.index is not None, timeout=WAIT_MS)
    window.search_box.setText("quillwort")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=WAIT_MS)
    window.result_list.setFocus()
    qtbot.keyClick(window.result_list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stored is not None, timeout=WAIT_MS)
    text = window.article.toPlainText()
    assert text.startswith("Lighthouse keeper retires")
    assert "pressed quillwort from the rocks" in text
    assert "2025-01-07 · Harbour Gazette" in text


def test_cancelling_the_feed_update_in_the_window_stops_it_at_once(
    qtbot, server: FeedServer, tmp_path: Path
) -> None:
    from ui.main_window import MainWindow

    data = tmp_path / "data"
    server.routes["/slow.rss"] = Route(b"<rss/>", delay=10.0)
    subscribe(data, server.url("/slow.rss"))
    window = MainWindow(data)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.feeds.runner.progress, timeout=WAIT_MS):
        window.actions_by_name["update_feeds"].trigger()
    started = time.monotonic()
    with qtbot.waitSignal(window.feeds.runner.finished, timeout=WAIT_MS) as finished:
        window.actions_by_name["cancel_feed_update"].trigger()
    assert time.monotonic() - started < 3.0  # SIGTERM ends the wait for the slow server
    assert finished.args[0].cancelled
    assert window.statusBar().currentMessage() == "0 new feed entries; cancelled."


def test_a_subscription_the_window_cannot_make_is_explained(
    qtbot, server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.main_window import MainWindow

    data = tmp_path / "data"
    window = MainWindow(data)
    qtbot.addWidget(window)
    warnings: list[str] = []
    monkeypatch.setattr(window.feeds, "ask_url", lambda: server.url("/nothing.rss"))
    monkeypatch.setattr(window.feeds, "warn", lambda title, text: warnings.append(text))
    with qtbot.waitSignal(window.feeds.runner.failed, timeout=WAIT_MS):
        window.actions_by_name["subscribe_feed"].trigger()
    assert warnings == [
        f"Could not subscribe:\n{server.url('/nothing.rss')}: HTTP 404 Not Found; not subscribed"
    ]
    assert load_subscriptions(data) == []
    monkeypatch.setattr(window.feeds, "ask_url", lambda: "ftp://example.com/feed")
    window.actions_by_name["subscribe_feed"].trigger()
    assert "is not a web address" in warnings[-1]
    assert not window.feeds.runner.is_running()
