"""Polite HTTP GETs for feeds and their pages: http(s) only, timeouts, size caps, conditional requests."""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from email.utils import parsedate_to_datetime
from http.client import HTTPMessage, HTTPResponse
from typing import IO
from urllib.parse import urlsplit

USER_AGENT = "BriefingCards/0.1 (desktop feed reader; polls each feed at most every 30 minutes)"
# Seconds one connect or read may wait; the whole download has TOTAL_TIMEOUT, so a server
# sending a byte every few seconds cannot hold an update for ever.
TIMEOUT = 15.0
TOTAL_TIMEOUT = 60.0
READ_CHUNK_BYTES = 64 * 1024
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, "
    "text/xml;q=0.9, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
# Statuses that mean "come back later": the wait they ask for (Retry-After) is kept.
BUSY_STATUSES = frozenset({429, 503})


class FetchError(Exception):
    """A fetch that failed; str(e) says why in words ("timed out after 15 s", "HTTP 404 Not Found").

    `retry_after` is the seconds a busy server (429, 503) asked to be left alone, when it said.
    """

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Response:
    """What a GET brought back: status 304 (not modified) has an empty body."""

    url: str  # after redirects
    status: int
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    charset: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def is_web_address(url: str) -> bool:
    """Whether `url` is an http(s) address with a host: the only kind fetched."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http(s) addresses only (urllib alone would follow one to ftp:)."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if not is_web_address(newurl):
            raise FetchError(f"redirected to {newurl}, which is not an http(s) address")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpOnlyRedirects)


def fetch(
    url: str,
    *,
    accept: str = FEED_ACCEPT,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int,
    timeout: float = TIMEOUT,
    total_timeout: float = TOTAL_TIMEOUT,
) -> Response:
    """GET `url`; with `etag`/`last_modified` a conditional GET, answered 304 when nothing changed.

    FetchError says why anything else failed: not http(s), a timeout, a refused connection, an
    unknown host, an HTTP error status, or a body over `max_bytes`.
    """
    if not is_web_address(url):
        raise FetchError("not an http(s) address")
    headers = {"User-Agent": USER_AGENT, "Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)
    deadline = time.monotonic() + total_timeout
    try:
        with _OPENER.open(request, timeout=timeout) as answer:
            body = _read_capped(answer, max_bytes, deadline, total_timeout)
            return _response(answer.geturl(), answer.status, answer.headers, body)
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return _response(url, 304, error.headers, b"")
        retry_after = _retry_after(error.headers) if error.code in BUSY_STATUSES else None
        reason = f"HTTP {error.code} {error.reason}".rstrip()
        if retry_after is not None:
            reason += f" (asked to wait {retry_after:.0f} s)"
        raise FetchError(reason, retry_after=retry_after) from None
    except urllib.error.URLError as error:
        raise FetchError(_network_reason(error.reason, timeout)) from None
    except TimeoutError:
        raise FetchError(f"timed out after {timeout:g} s") from None
    except OSError as error:
        raise FetchError(_network_reason(error, timeout)) from None
    except ValueError as error:  # http.client's bad status lines and headers, urllib's bad URLs
        raise FetchError(f"not a usable HTTP answer ({error})") from None


def _read_capped(
    answer: HTTPResponse, max_bytes: int, deadline: float, total_timeout: float
) -> bytes:
    """The body, refused past `max_bytes` (announced or read) or past the deadline."""
    announced = answer.headers.get("Content-Length")
    if announced and announced.isdigit() and int(announced) > max_bytes:
        raise FetchError(
            f"too large ({_megabytes(int(announced))}; the limit is {_megabytes(max_bytes)})"
        )
    chunks: list[bytes] = []
    size = 0
    while chunk := answer.read(READ_CHUNK_BYTES):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"too large (over {_megabytes(max_bytes)})")
        if time.monotonic() > deadline:
            raise FetchError(f"too slow (not received within {total_timeout:.0f} s)")
        chunks.append(chunk)
    return b"".join(chunks)


def _response(url: str, status: int, headers: Message, body: bytes) -> Response:
    content_type = headers.get_content_type() if headers.get("Content-Type") else None
    return Response(
        url=url,
        status=status,
        body=body,
        etag=headers.get("ETag"),
        last_modified=headers.get("Last-Modified"),
        content_type=content_type,
        charset=headers.get_content_charset(),
    )


def _retry_after(headers: Message) -> float | None:
    """Retry-After in seconds: given as seconds or as an HTTP date."""
    value = (headers.get("Retry-After") or "").strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def _network_reason(reason: object, timeout: float) -> str:
    if isinstance(reason, TimeoutError):
        return f"timed out after {timeout:g} s"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "host not found"
    if isinstance(reason, FetchError):
        return str(reason)
    strerror = getattr(reason, "strerror", None)
    return str(strerror or reason)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


class HostPacer:
    """Keeps `interval` seconds between two requests to one host (the polite crawl delay)."""

    def __init__(self, interval: float, sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = interval
        self._sleep = sleep
        self._last: dict[str, float] = {}

    def wait(self, url: str) -> None:
        host = urlsplit(url).hostname or ""
        last = self._last.get(host)
        if last is not None:
            pause = last + self.interval - time.monotonic()
            if pause > 0:
                self._sleep(pause)
        self._last[host] = time.monotonic()
