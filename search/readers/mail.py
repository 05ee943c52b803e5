"""E-mail: an .eml message, or each message of an .mbox mailbox, with subject, date, sender and its text or HTML part."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage, MIMEPart
from email.parser import BytesParser
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from search.readers.base import (
    LeftOut,
    ReadError,
    Reading,
    checked_size,
    new_article,
    read_bytes,
    text_or_none,
    unreadable,
)
from search.readers.dates import normalize_date
from search.readers.encoding import BINARY_SNIFF_BYTES, decode_text
from search.readers.web import html_to_text

# One message, attachments included, is parsed whole; a mailbox is read a message at a time.
MAX_MESSAGE_BYTES = 64 * 1024 * 1024
MAX_MAILBOX_BYTES = 4 * 1024 * 1024 * 1024
# A text part with fewer words than this beside an HTML part is a "view it in your browser" stub.
MIN_PLAIN_WORDS = 20
# The separator line's sender and asctime date: "From ana@example.org Thu Mar  4 09:30:00 2021".
FROM_LINE = re.compile(rb"^From \S+ +[A-Z][a-z]{2} [A-Z][a-z]{2} +\d{1,2} \d{1,2}:\d{2}")
# mboxrd quotes a body line starting "From " as ">From " (and ">From " as ">>From ").
QUOTED_FROM = re.compile(rb"^>(>*From )", re.M)
# Lines are read at most this long, so a file without newlines is never one line in memory.
MAX_LINE_BYTES = 1024 * 1024


def read_message_file(path: Path) -> Reading:
    """The one message in an .eml file."""
    data = read_bytes(path, MAX_MESSAGE_BYTES)
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        raise ReadError("binary file (contains NUL bytes), not an e-mail message")
    message = _parse(data)
    fields = message_fields(message)
    return Reading(
        [new_article(path, "email", fields, content_hash=hashlib.sha256(data).hexdigest())]
    )


def read_mailbox(path: Path) -> Reading:
    """Each message of an mbox mailbox as an article, keyed by its Message-ID (else its place)."""
    checked_size(path, MAX_MAILBOX_BYTES)
    reading = Reading([])
    parts: set[str] = set()
    count = 0
    for count, raw in enumerate(_mbox_messages(path), 1):
        try:
            if raw is None:
                raise ReadError(f"too large (over {MAX_MESSAGE_BYTES // 1024 // 1024} MB)")
            message = _parse(raw)
            fields = message_fields(message)
            part = _part(message, count, parts)
            content_hash = hashlib.sha256(raw).hexdigest()
            reading.articles.append(
                new_article(path, "email", fields, content_hash=content_hash, part=part)
            )
        except ReadError as e:
            reading.left_out.append(LeftOut(f"message {count}", str(e)))
    if count == 0:
        raise ReadError("not an mbox mailbox (no line starting with 'From ' opens a message)")
    if not reading.articles:
        raise ReadError(f"no readable messages in the mailbox ({reading.left_out[0]})")
    return reading


def _mbox_messages(path: Path) -> Iterator[bytes | None]:
    """Each message's bytes (None for one over the size limit), streamed from the file.

    Split here rather than with mailbox.mbox, which opens the user's file for writing. A "From "
    line opens a message when it starts the file or follows a blank line, as mbox writers put it,
    or when it carries the separator's date; a body's own "From the desk ..." line does not.
    """
    try:
        file = path.open("rb")
    except OSError as e:
        raise unreadable(e) from None
    with file:
        lines: list[bytes] | None = None
        size = 0
        previous_blank = True
        while line := file.readline(MAX_LINE_BYTES):
            if line.startswith(b"From ") and (previous_blank or FROM_LINE.match(line)):
                if lines is not None or size:
                    yield _message_bytes(lines)
                lines, size = [], 0
            elif lines is not None:
                size += len(line)
                if size > MAX_MESSAGE_BYTES:
                    lines = None  # too large: the rest of it is skipped, not kept
                else:
                    lines.append(line)
            previous_blank = not line.strip()
        if lines is not None or size:
            yield _message_bytes(lines)


def _message_bytes(lines: list[bytes] | None) -> bytes | None:
    if lines is None:
        return None
    return QUOTED_FROM.sub(rb"\1", b"".join(lines))


def _parse(data: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(data)
    # Asked of the raw headers: parsing each one (policy.default does on get) is slow.
    if not any(header in message for header in ("From", "Subject", "Date", "Message-ID")):
        raise ReadError("not an e-mail message (no From, Subject, Date or Message-ID header)")
    assert isinstance(message, EmailMessage)  # policy.default makes EmailMessage objects
    return message


def message_fields(message: EmailMessage) -> dict[str, Any]:
    """Subject as title, Date as date, the sender as author, the list's name (or the sender's
    domain) as source, the text part (or the HTML part read as text) as body."""
    sender_names, sender_domain = _senders(message)
    list_name, list_id = parseaddr(str(message.get("List-Id", "")))
    return {
        "title": _header(message, "Subject") or "(no subject)",
        "body": _body(message),
        "date": _date(message),
        "source": text_or_none(list_name) or text_or_none(list_id) or sender_domain,
        "authors": sender_names,
    }


def _header(message: EmailMessage, name: str) -> str | None:
    """A header's value on one line; None when it is missing, blank or too broken to parse."""
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError):
        return None
    if value is None:
        return None
    return " ".join(str(value).split()) or None


def _senders(message: EmailMessage) -> tuple[list[str], str | None]:
    """The From header's names (or addresses), and the first sender's mail domain."""
    try:
        header = message.get("From")
        addresses = list(getattr(header, "addresses", ()))
    except (ValueError, IndexError, TypeError):
        addresses = []
    names = [a.display_name or a.addr_spec for a in addresses if a.display_name or a.addr_spec]
    domain = next((a.domain for a in addresses if a.domain), None)
    if not names:
        raw = _header(message, "From")
        names = [raw] if raw else []
    return names, domain


def _date(message: EmailMessage) -> str | None:
    try:
        header = message.get("Date")
    except (ValueError, IndexError, TypeError):
        return None
    return normalize_date(getattr(header, "datetime", None)) or normalize_date(str(header or ""))


def _body(message: EmailMessage) -> str:
    """The text part; the HTML part read as text when there is no text part worth reading."""
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    text = _part_text(plain) if plain is not None else ""
    if html is not None and len(text.split()) < MIN_PLAIN_WORDS:
        text = html_to_text(_part_text(html)) or text
    if not text.strip():
        attachment_only = plain is None and html is None
        raise ReadError(
            "no text part in the message (only attachments?)"
            if attachment_only
            else "no article text in the message"
        )
    return _paragraphs(text)


def _part_text(part: MIMEPart) -> str:
    """A MIME part's text, decoded by its charset (guessed when the charset is unknown)."""
    try:
        return str(part.get_content())
    except (LookupError, UnicodeError, ValueError, AttributeError):
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or not payload.strip():
            return ""
        try:
            return decode_text(payload)[0]
        except ReadError:
            return ""


def _paragraphs(text: str) -> str:
    """Text with its newlines made \\n, lines' trailing spaces and runs of blank lines dropped."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def _part(message: EmailMessage, number: int, taken: set[str]) -> str:
    """A message's key in the mailbox: its Message-ID, else its place; unique within the file."""
    part = _header(message, "Message-ID") or f"#{number}"
    if part in taken:
        part = f"{part}#{number}"
    taken.add(part)
    return part
