"""Feed subscriptions: the list in feeds.json, and updating each feed politely into article files the library indexes."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from search.feed_entries import (
    EntryArticle,
    article_markdown,
    entry_article,
    entry_key,
    key_of_file,
)
from search.fetch import FEED_ACCEPT, FetchError, HostPacer, Response, fetch, is_web_address
from search.library import add_to_library
from search.readers.base import ReadError, text_or_none
from search.settings_file import (
    SettingsFileError,
    json_object,
    load_settings,
    locked,
    save_settings,
)

FEEDS_FILE = "feeds.json"
FEEDS_FOLDER = "feeds"  # in the data directory; one folder per feed, the whole of it in the library
# A feed is fetched at most this often unless forced: feeds change a few times an hour at most,
# and their servers ask readers not to poll harder.
MIN_INTERVAL = 30 * 60
# Seconds between two requests to one host (a feed and its entries' pages share a host).
PAGE_INTERVAL = 1.0
MAX_FEED_BYTES = 10 * 1024 * 1024
MAX_FOLDER_CHARS = 60

FeedStatus = Literal[
    "new entries", "nothing new", "not modified", "too soon", "failed", "cancelled"
]


class FeedsFileError(SettingsFileError):
    """feeds.json could not be used; the message names the file, what is wrong and where it went."""


class FeedsBusy(RuntimeError):
    """Another process is updating the feeds."""


@dataclass
class Subscription:
    """One subscribed feed: its address, its folder of entries, and what the last update learnt."""

    url: str
    folder: str  # a name under <data>/feeds/
    title: str | None = None
    added: str | None = None  # ISO times, UTC
    checked: str | None = None  # the last fetch attempt
    etag: str | None = None
    last_modified: str | None = None
    not_before: str | None = None  # a busy server's Retry-After
    error: str | None = None  # why the last fetch failed; None when it worked


@dataclass(frozen=True)
class FeedProgress:
    """Progress of an update: `done` of `total` feeds; within the current one, entries written."""

    done: int
    total: int
    url: str
    title: str | None = None
    entries_done: int = 0
    entries_total: int = 0


@dataclass
class FeedResult:
    """What updating one feed did: the files written, the entries that kept their summary, or why it failed."""

    url: str
    status: FeedStatus
    title: str | None = None
    written: list[str] = field(default_factory=list)
    full_text: int = 0  # entries whose text was taken from their page
    notes: list[str] = field(
        default_factory=list
    )  # entries that kept the summary, or were left out
    error: str | None = None

    def describe(self) -> str:
        """One line for a person: the feed and what happened to it."""
        name = f"{self.title} ({self.url})" if self.title else self.url
        if self.status == "failed":
            return f"{name}: failed: {self.error}"
        if self.status in ("new entries", "cancelled") and self.written:
            line = f"{name}: {entries_phrase(len(self.written), 'new')}"
            if self.full_text:
                line += f" ({self.full_text} with full text from the page)"
            return line + (" before it was cancelled" if self.status == "cancelled" else "")
        return f"{name}: {self.error or self.status}"


@dataclass
class FeedsReport:
    """An update of several feeds; a feed that fails does not stop the others."""

    feeds: list[FeedResult] = field(default_factory=list)
    cancelled: bool = False

    @property
    def written(self) -> list[str]:
        return [path for feed in self.feeds for path in feed.written]

    @property
    def failed(self) -> list[FeedResult]:
        return [feed for feed in self.feeds if feed.status == "failed"]

    def to_json_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> FeedsReport:
        """The report `to_json_dict` made (the window reads it from `briefing feeds --progress json`)."""
        names = {f.name for f in fields(FeedResult)}
        feeds = [
            FeedResult(**{k: v for k, v in feed.items() if k in names})
            for feed in data.get("feeds", [])
            if isinstance(feed, dict)
        ]
        return cls(feeds, bool(data.get("cancelled", False)))


def feeds_folder(data_dir: Path | str) -> Path:
    """Where subscribed feeds' entries are written, one folder per feed."""
    return Path(data_dir) / FEEDS_FOLDER


def entry_folder(data_dir: Path | str, subscription: Subscription) -> Path:
    return feeds_folder(data_dir) / subscription.folder


def stored_entries(data_dir: Path | str, subscription: Subscription) -> int:
    """How many of the feed's entries are written in its folder."""
    folder = entry_folder(data_dir, subscription)
    try:
        return sum(1 for name in os.listdir(folder) if key_of_file(name))
    except OSError:
        return 0


# -- the subscriptions file ----------------------------------------------------------------


def load_subscriptions(data_dir: Path | str) -> list[Subscription]:
    """The subscribed feeds, in the order they were added; [] when there are none.

    A file that is not what this program writes is kept aside as feeds.json.bad-<time> and
    FeedsFileError says so; the next subscription starts a new file.
    """
    saved = load_settings(
        Path(data_dir) / FEEDS_FILE,
        _parse_subscriptions,
        kind="a subscriptions file",
        again="subscribe to your feeds again (briefing feeds add URL), or mend it and put it back.",
        error=FeedsFileError,
    )
    return saved if saved is not None else []


_FIELD_NAMES = tuple(f.name for f in fields(Subscription))
_SAFE_FOLDER = re.compile(r"\A[\w][\w.-]*\Z")


def _parse_subscriptions(raw: str) -> list[Subscription]:
    """The subscriptions in feeds.json's text; ValueError saying what is wrong."""
    listed = json_object(raw).get("feeds")
    if not isinstance(listed, list):
        raise ValueError('it should be {"feeds": [{"url": ..., "folder": ...}, ...]}')
    subscriptions = []
    for number, item in enumerate(listed, 1):
        if not isinstance(item, dict):
            raise ValueError(f"feed {number} is not an object")
        values: dict[str, Any] = {key: item.get(key) for key in _FIELD_NAMES}
        if not all(value is None or isinstance(value, str) for value in values.values()):
            raise ValueError(f"feed {number} has a value that is not text")
        url, folder = values["url"], values["folder"]
        if not isinstance(url, str) or not is_web_address(url):
            raise ValueError(f"feed {number} has no http(s) url")
        if not isinstance(folder, str) or not _SAFE_FOLDER.match(folder) or ".." in folder:
            raise ValueError(f"feed {number} ({url}) has no usable folder name")
        subscriptions.append(Subscription(**values))
    return subscriptions


@contextmanager
def _one_update(path: Path) -> Iterator[None]:
    """Hold the update lock, or raise FeedsBusy at once if another update holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FeedsBusy("another feed update is running; try again when it is done") from None
        yield


def _change_subscriptions(
    data_dir: Path | str, change: Callable[[list[Subscription]], list[Subscription]]
) -> list[Subscription]:
    """Apply `change` to the saved subscriptions under a lock, replacing the file whole."""
    target = Path(data_dir) / FEEDS_FILE
    with locked(target):
        subscriptions = change(load_subscriptions(data_dir))
        save_settings(target, {"feeds": [asdict(s) for s in subscriptions]})
    return subscriptions


def subscribe(data_dir: Path | str, url: str) -> Subscription:
    """Subscribe to the feed at `url` (kept as given) and put the feeds folder in the library.

    Nothing is fetched here (update_feeds does that); a feed already subscribed is returned as it is.
    ValueError when `url` is not an http(s) address.
    """
    url = url.strip()
    if not is_web_address(url):
        raise ValueError(f"{url!r} is not an http(s) address")
    made: list[Subscription] = []

    def add(subscriptions: list[Subscription]) -> list[Subscription]:
        for existing in subscriptions:
            if existing.url == url:
                made.append(existing)
                return subscriptions
        taken = {s.folder for s in subscriptions}
        made.append(Subscription(url, _folder_name(url, taken), added=_now_iso()))
        return [*subscriptions, made[0]]

    _change_subscriptions(data_dir, add)
    entry_folder(data_dir, made[0]).mkdir(parents=True, exist_ok=True)
    add_to_library(data_dir, [feeds_folder(data_dir)])
    return made[0]


def unsubscribe(data_dir: Path | str, url: str) -> Subscription | None:
    """Stop updating the feed at `url`; its entries stay in its folder and in the library.

    Returns the subscription removed, or None when `url` was not subscribed.
    """
    removed: list[Subscription] = []

    def remove(subscriptions: list[Subscription]) -> list[Subscription]:
        removed.extend(s for s in subscriptions if s.url == url.strip())
        return [s for s in subscriptions if s.url != url.strip()]

    _change_subscriptions(data_dir, remove)
    return removed[0] if removed else None


def _save_state(data_dir: Path | str, subscription: Subscription) -> None:
    """Store what an update learnt about one feed, unless it was unsubscribed meanwhile."""

    def replace(subscriptions: list[Subscription]) -> list[Subscription]:
        return [subscription if s.url == subscription.url else s for s in subscriptions]

    _change_subscriptions(data_dir, replace)


def _folder_name(url: str, taken: set[str]) -> str:
    """A folder name from the address ("example.com-news-rss.xml"), unique among the feeds'."""
    rest = url.split("://", 1)[-1].split("?", 1)[0]
    name = re.sub(r"[^\w.]+", "-", rest).strip("-.")[:MAX_FOLDER_CHARS].strip("-.") or "feed"
    name = re.sub(r"\.{2,}", ".", name)
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name}-{number}", number + 1
    return candidate


def _now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _seconds_since(iso: str | None) -> float | None:
    if not iso:
        return None
    try:
        then = dt.datetime.fromisoformat(iso)
    except ValueError:
        return None
    if then.tzinfo is None:
        then = then.replace(tzinfo=dt.UTC)
    return (dt.datetime.now(dt.UTC) - then).total_seconds()


# -- updating ------------------------------------------------------------------------------

Fetcher = Callable[..., Response]


def update_feeds(
    data_dir: Path | str,
    *,
    urls: Sequence[str] | None = None,
    force: bool = False,
    progress: Callable[[FeedProgress], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    page_interval: float | None = None,
    fetcher: Fetcher | None = None,
) -> FeedsReport:
    """Fetch each subscribed feed (or those in `urls`) and write its new entries as article files.

    A feed checked less than MIN_INTERVAL ago, or whose server asked to wait, is left alone unless
    `force`. The request is conditional (ETag, Last-Modified), so an unchanged feed costs a 304.
    An entry is new when its folder holds no file with its key; a summary-only entry's text is
    taken from its page. Each feed's outcome is in the report: one that fails (timeout, HTTP
    error, not a feed) is reported by its address and the rest go on. `cancel` is asked between
    entries; what was written stays, and the feed is fetched whole again next time.
    Raises FeedsBusy when another process is updating, FeedsFileError for a bad feeds.json.
    """
    with _one_update(Path(data_dir) / "feeds.update.lock"):
        subscriptions = load_subscriptions(data_dir)
        report = FeedsReport()
        if urls is not None:
            wanted = [url.strip() for url in urls]
            report.feeds.extend(
                FeedResult(url, "failed", error="not subscribed (briefing feeds add URL)")
                for url in wanted
                if url not in {s.url for s in subscriptions}
            )
            subscriptions = [s for s in subscriptions if s.url in wanted]
        pacer = HostPacer(PAGE_INTERVAL if page_interval is None else page_interval)
        fetcher = fetcher or fetch
        for done, subscription in enumerate(subscriptions):
            if cancel is not None and cancel():
                report.cancelled = True
                break

            def step(entries_done: int, entries_total: int, at: int = done) -> None:
                if progress is not None:
                    current = subscriptions[at]
                    progress(
                        FeedProgress(
                            at,
                            len(subscriptions),
                            current.url,
                            current.title,
                            entries_done,
                            entries_total,
                        )
                    )

            step(0, 0)
            result = _update_feed(
                data_dir,
                subscription,
                force=force,
                pacer=pacer,
                fetcher=fetcher,
                step=step,
                cancel=cancel,
            )
            report.feeds.append(result)
            if result.status == "cancelled":
                report.cancelled = True
                break
        if progress is not None and subscriptions and not report.cancelled:
            progress(FeedProgress(len(subscriptions), len(subscriptions), ""))
        return report


def _update_feed(
    data_dir: Path | str,
    subscription: Subscription,
    *,
    force: bool,
    pacer: HostPacer,
    fetcher: Fetcher,
    step: Callable[[int, int], None],
    cancel: Callable[[], bool] | None,
) -> FeedResult:
    """Fetch one feed and write its new entries; its state is saved unless nothing was asked."""
    url = subscription.url
    result = FeedResult(url, "nothing new", subscription.title)
    waited = _seconds_since(subscription.checked)
    # After a failure (the network was down) the feed may be tried again at once.
    polled = subscription.error is None and waited is not None
    if not force and polled and waited is not None and 0 <= waited < MIN_INTERVAL:
        result.status = "too soon"
        result.error = (
            f"checked {_minutes(waited)} ago; fetched again after {_minutes(MIN_INTERVAL)} "
            "(--force fetches now)"
        )
        return result
    until = _seconds_since(subscription.not_before)
    if not force and until is not None and until < 0:
        result.status = "too soon"
        result.error = f"the server asked to wait {_minutes(-until)} more"
        return result
    subscription.checked = _now_iso()
    # A 304 answers for what was stored: with the folder gone, the whole feed is asked for.
    stored = entry_folder(data_dir, subscription).is_dir()
    pacer.wait(url)
    try:
        response = fetcher(
            url,
            accept=FEED_ACCEPT,
            etag=subscription.etag if stored else None,
            last_modified=subscription.last_modified if stored else None,
            max_bytes=MAX_FEED_BYTES,
        )
        if response.not_modified:
            result.status = "not modified"
        else:
            _write_entries(data_dir, subscription, response, result, pacer, fetcher, step, cancel)
    except (FetchError, ReadError, OSError) as error:
        result.status, result.error = "failed", _reason(error)
        subscription.error = result.error
        retry_after = getattr(error, "retry_after", None)
        if retry_after:
            later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=retry_after)
            subscription.not_before = later.isoformat(timespec="seconds")
    else:
        subscription.error = None
        subscription.not_before = None
    result.title = subscription.title
    _save_state(data_dir, subscription)
    return result


def _write_entries(
    data_dir: Path | str,
    subscription: Subscription,
    response: Response,
    result: FeedResult,
    pacer: HostPacer,
    fetcher: Fetcher,
    step: Callable[[int, int], None],
    cancel: Callable[[], bool] | None,
) -> None:
    """Parse the feed and write each entry its folder does not hold yet."""
    import feedparser  # imported here: only updating feeds needs it

    headers = {"content-location": response.url}
    if response.content_type:
        charset = f"; charset={response.charset}" if response.charset else ""
        headers["content-type"] = response.content_type + charset
    # Given bytes, feedparser parses them and fetches nothing; it also sanitizes entries' HTML.
    parsed = feedparser.parse(response.body, response_headers=headers)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise ReadError(f"not an RSS or Atom feed{f' ({problem})' if problem else ''}")
    source = text_or_none(parsed.feed.get("title"))
    subscription.title = source or subscription.title
    result.title = subscription.title
    folder = entry_folder(data_dir, subscription)
    folder.mkdir(parents=True, exist_ok=True)
    held = {key for name in os.listdir(folder) if (key := key_of_file(name))}
    new = []
    for entry in parsed.entries:
        key = entry_key(entry)
        if key not in held:
            held.add(key)
            new.append(entry)

    def fetch_page(url: str, accept: str, max_bytes: int) -> Response:
        pacer.wait(url)
        return fetcher(url, accept=accept, max_bytes=max_bytes)

    for number, entry in enumerate(new):
        if cancel is not None and cancel():
            result.status = "cancelled"
            return  # the validators are not kept: the next update fetches the whole feed again
        step(number, len(new))
        article = entry_article(entry, subscription.title, fetch_page)
        label = article.fields.get("title") or article.key
        if not str(article.fields.get("body") or "").strip():
            result.notes.append(f"{label}: left out, no text ({article.note or 'empty entry'})")
            continue
        if article.note:
            result.notes.append(f"{label}: kept the feed's summary ({article.note})")
        result.written.append(str(_write_article(folder, article, subscription.url)))
        result.full_text += article.text_from == "page"
    step(len(new), len(new))
    result.status = "new entries" if result.written else "nothing new"
    # Kept only once every new entry is written: a 304 must never hide an entry not yet stored.
    subscription.etag = response.etag
    subscription.last_modified = response.last_modified


def _write_article(folder: Path, article: EntryArticle, feed_url: str) -> Path:
    """Write the entry's file whole (a hidden temporary file renamed), so a sync never reads half."""
    target = folder / article.file_name()
    partial = folder / f".{target.name}.{os.getpid()}.tmp"
    partial.write_text(article_markdown(article, feed_url), encoding="utf-8")
    os.replace(partial, target)
    return target


def _reason(error: Exception) -> str:
    if isinstance(error, OSError) and not isinstance(error, FetchError):
        return f"cannot write the entries ({error.strerror or error})"
    return str(error)


def _minutes(seconds: float) -> str:
    if seconds < 60:
        return "less than a minute"
    minutes = round(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def entries_phrase(count: int, kind: str = "") -> str:
    """ "1 entry", "3 new entries"."""
    return f"{count} {kind + ' ' if kind else ''}entr{'y' if count == 1 else 'ies'}"
