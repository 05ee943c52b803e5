"""The reader registry and each format's reader: fields, parts and their ids, encodings, and each kind of bad file named."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from format_files import (
    ATOM,
    ENCRYPTED_PDF,
    HTML_ONLY_EML,
    NEWSLETTER_EML,
    RSS,
    make_docx,
    make_epub,
    make_pdf,
    mbox_text,
)

from search.library import scan_library
from search.read import (
    SUPPORTED_SUFFIXES,
    ReadError,
    article_id,
    file_dialog_filter,
    read_article,
    read_articles,
    read_file,
)
from search.readers import READERS, archive, docx
from search.readers.web import html_to_text

REPORT_LINES = [
    "Harbour budget approved after a long night",
    "The city council approved the harbour budget on Tuesday evening after a debate that",
    "ran for more than six hours, with the final vote taken just before midnight in the",
    "town hall. Councillors from both sides praised the compromise on the quay fees.",
    "",
    "Work on the new inter-",
    "national ferry terminal starts in May, the mayor said, and will take two years.",
    "3",
]


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def reason(path: Path) -> str:
    with pytest.raises(ReadError) as caught:
        read_articles(path)
    return str(caught.value)


# The registry


def test_every_format_has_a_reader_and_a_place_in_the_file_dialog() -> None:
    wanted = {".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx", ".eml", ".mbox"}
    wanted |= {".rss", ".atom", ".xml", ".epub"}
    assert wanted == SUPPORTED_SUFFIXES
    dialog = file_dialog_filter()
    filters = dialog.split(";;")
    assert filters[0].startswith("Articles (*.md *.markdown")
    assert all(f"*{suffix}" in filters[0] for suffix in SUPPORTED_SUFFIXES)
    assert "PDF documents (*.pdf)" in filters
    assert filters[-1] == "All files (*)"
    assert len(filters) == len(READERS) + 2


def test_a_folder_scan_finds_every_readable_type(tmp_path: Path) -> None:
    for name in ("a.pdf", "b.docx", "c.eml", "d.mbox", "e.rss", "f.atom", "g.epub", "h.pages"):
        write(tmp_path / name, b"x")
    found, skipped = scan_library([tmp_path])
    assert sorted(p.name for p in found) == [
        "a.pdf", "b.docx", "c.eml", "d.mbox", "e.rss", "f.atom", "g.epub"
    ]  # fmt: skip
    assert [(Path(s.path).name, s.reason) for s in skipped] == [
        ("h.pages", "unsupported file type .pages")
    ]


def test_unsupported_type_is_named(tmp_path: Path) -> None:
    assert reason(write(tmp_path / "notes.pages", b"PK")).startswith("unsupported file type .pages")


# Ids: (path, part)


def test_a_single_article_file_keeps_the_id_it_always_had(tmp_path: Path) -> None:
    path = write(tmp_path / "story.md", "# Quay fees\n\nThe council dropped them.")
    today = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:12]
    article = read_article(path)
    assert article.part is None
    assert article.id == article_id(path) == today


@pytest.mark.parametrize("name", ["report.pdf", "report.docx", "briefing.eml"])
def test_single_article_formats_have_no_part_and_the_path_id(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name.endswith(".pdf"):
        write(path, make_pdf([REPORT_LINES]))
    elif name.endswith(".docx"):
        make_docx(path, [("Heading1", "Strike ends"), (None, "Dock workers went back on Monday.")])
    else:
        write(path, NEWSLETTER_EML)
    [article] = read_articles(path)
    assert article.part is None
    assert article.id == article_id(path) == read_article(path).id


def test_parts_have_stable_distinct_ids_keyed_by_guid(tmp_path: Path) -> None:
    path = write(tmp_path / "gazette.rss", RSS)
    first = read_articles(path)
    assert [a.part for a in first] == ["urn:gazette:bridge", "urn:gazette:ferries"]
    assert [a.id for a in first] == [a.id for a in read_articles(path)]
    ids = {a.id for a in first}
    assert len(ids) == 2 and article_id(path) not in ids
    assert all(a.id == article_id(path, a.part) for a in first)
    # A new entry at the top moves the others down; their ids stay, as the guid keys them.
    newer = RSS.replace(
        "<item>",
        "<item><title>New</title><guid>urn:gazette:new</guid>"
        "<description>Breaking news from the quay today.</description></item><item>",
        1,
    )
    write(path, newer)
    assert ids < {a.id for a in read_articles(path)}


def test_entries_without_ids_are_keyed_by_link_or_place_and_stay_distinct(tmp_path: Path) -> None:
    item = "<item><title>T{n}</title>{link}<description>Text number {n} of the feed.</description></item>"
    items = [
        item.format(n=1, link="<link>https://x.example/a</link>"),
        item.format(n=2, link="<link>https://x.example/a</link>"),
        item.format(n=3, link=""),
    ]
    feed = f'<rss version="2.0"><channel><title>X</title>{"".join(items)}</channel></rss>'
    articles = read_articles(write(tmp_path / "x.xml", feed))
    assert [a.part for a in articles] == ["https://x.example/a", "https://x.example/a#2", "#3"]
    assert len({a.id for a in articles}) == 3


def test_read_article_refuses_a_file_of_several_articles(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="holds 2 articles"):
        read_article(write(tmp_path / "gazette.rss", RSS))


# PDF


def test_pdf_text_metadata_and_paragraphs(tmp_path: Path) -> None:
    info = {
        "Title": "Harbour budget approved",
        "Author": "Ana Ruiz; Tom Lee",
        "CreationDate": "D:20210304120000Z",
        "Keywords": "budget, harbour",
    }
    path = write(tmp_path / "report.pdf", make_pdf([REPORT_LINES, ["Page two carries on."]], info))
    [article] = read_articles(path)
    assert article.format == "pdf"
    assert article.title == "Harbour budget approved"
    assert article.date == "2021-03-04"
    assert article.authors == ["Ana Ruiz", "Tom Lee"]
    assert article.tags == ["budget", "harbour"]
    assert article.encoding is None
    paragraphs = article.body.split("\n\n")
    # Lines of one paragraph are one paragraph again; the word split over a line is whole.
    assert paragraphs[1].startswith("The city council approved") and "that ran for" in paragraphs[1]
    assert "international ferry terminal" in article.body
    assert "\n\n3\n\n" not in article.body  # the page number
    assert paragraphs[-1] == "Page two carries on."
    assert article.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()


def test_pdf_without_a_metadata_title_takes_its_first_line(tmp_path: Path) -> None:
    info = {"Title": "Microsoft Word - draft3.docx"}
    [article] = read_articles(write(tmp_path / "r.pdf", make_pdf([REPORT_LINES], info)))
    assert article.title == "Harbour budget approved after a long night"
    assert article.body.startswith("The city council")


def test_scanned_pdf_says_it_has_no_text_layer(tmp_path: Path) -> None:
    path = write(tmp_path / "scan.pdf", make_pdf([None, None]))
    assert reason(path) == "no text layer (scanned PDF?); OCR is not supported"


def test_encrypted_pdf_is_named_as_such() -> None:
    assert reason(ENCRYPTED_PDF) == "encrypted PDF (it needs a password to open)"


def test_damaged_and_false_pdfs_are_named(tmp_path: Path) -> None:
    whole = make_pdf([REPORT_LINES])
    assert reason(write(tmp_path / "cut.pdf", whole[:200])).startswith("broken PDF")
    assert reason(write(tmp_path / "fake.pdf", "<html>not a pdf</html>")) == (
        "not a PDF (no %PDF- header at the start)"
    )
    assert reason(write(tmp_path / "empty.pdf", b"")) == "empty file"


def test_a_pdf_with_too_many_pages_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from search.readers import pdf

    monkeypatch.setattr(pdf, "MAX_PDF_PAGES", 2)
    path = write(tmp_path / "long.pdf", make_pdf([["a"], ["b"], ["c"]]))
    assert reason(path) == "too many pages (3; the limit is 2)"


# Word


def test_docx_title_date_authors_and_headings(tmp_path: Path) -> None:
    core = {
        "dc:title": "Port strike ends after a week",
        "dc:creator": "Ana Ruiz",
        "dcterms:created": "2022-05-09T08:00:00Z",
    }
    paragraphs = [
        ("Heading1", "Port strike ends"),
        (None, "Dock workers in Rotterdam returned on Monday after a week-long strike over pay."),
        ("Heading2", "What was agreed"),
        (None, "A raise of four percent over two years, the union said."),
    ]
    [article] = read_articles(make_docx(tmp_path / "strike.docx", paragraphs, core))
    assert article.format == "docx"
    assert article.title == "Port strike ends after a week"
    assert article.date == "2022-05-09"
    assert article.authors == ["Ana Ruiz"]
    assert article.body.split("\n\n") == [text for _, text in paragraphs]


def test_docx_without_properties_takes_its_first_heading_as_title(tmp_path: Path) -> None:
    paragraphs = [
        ("Heading1", "Port strike ends"),
        (None, "Dock workers in Rotterdam returned on Monday after a week-long strike over pay."),
    ]
    [article] = read_articles(make_docx(tmp_path / "strike.docx", paragraphs))
    assert article.title == "Port strike ends"
    assert article.body.startswith("Dock workers")


def test_broken_word_documents_are_named(tmp_path: Path) -> None:
    assert reason(write(tmp_path / "a.docx", b"just text")) == (
        "broken Word document: not a ZIP archive (damaged or cut short?)"
    )
    assert "password-protected" in reason(
        write(tmp_path / "locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    )
    with zipfile.ZipFile(tmp_path / "b.docx", "w") as empty_zip:
        empty_zip.writestr("hello.txt", "hi")
    assert reason(tmp_path / "b.docx") == (
        "broken Word document: word/document.xml is missing (not a .docx?)"
    )
    whole = make_docx(tmp_path / "c.docx", [(None, "Some words here.")]).read_bytes()
    assert reason(write(tmp_path / "cut.docx", whole[: len(whole) // 2])).startswith(
        "broken Word document"
    )


def test_docx_unpacking_beyond_the_limits_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_docx(tmp_path / "big.docx", [(None, "Some words here. " * 200)])
    monkeypatch.setattr(docx, "MAX_DOCUMENT_XML_BYTES", 1024)
    assert reason(path).startswith("refused Word document: word/document.xml unpacks to")
    monkeypatch.setattr(archive, "MAX_UNPACKED_BYTES", 1024)
    assert "(a ZIP bomb?)" in reason(path)


# E-mail


def test_eml_subject_date_sender_and_text_part(tmp_path: Path) -> None:
    [article] = read_articles(write(tmp_path / "briefing.eml", NEWSLETTER_EML))
    assert article.format == "email"
    assert article.title == "Harbour briefing: café owners win"
    assert article.date == "2021-03-04"
    assert article.authors == ["Ana Ruiz"]
    assert article.source == "Harbour Briefing"  # the list's name
    assert article.body.startswith("Café owners on the quay won their appeal")
    assert "The second story: ferry timetables" in article.body
    assert "HTMLONLYWORD" not in article.body  # the text part is preferred


def test_html_only_newsletter_keeps_every_story(tmp_path: Path) -> None:
    [article] = read_articles(write(tmp_path / "desk.eml", HTML_ONLY_EML))
    assert article.source == "citynews.example"  # no list name: the sender's domain
    assert article.authors == ["City Desk"]
    assert article.date == "2021-05-10"
    for line in ("Floods close the valley road", "Rail strike ends", "four million pounds"):
        assert line in article.body
    assert "<h2>" not in article.body


def test_not_an_email(tmp_path: Path) -> None:
    assert reason(write(tmp_path / "x.eml", "just a line of text\nand another\n")) == (
        "not an e-mail message (no From, Subject, Date or Message-ID header)"
    )
    assert "binary" in reason(write(tmp_path / "y.eml", b"\x89PNG\r\n\x1a\n\0\0\0"))
    attachment_only = (
        "From: a@example.org\nSubject: Scan\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="b"\n\n--b\n'
        "Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0=\n--b--\n"
    )
    assert reason(write(tmp_path / "z.eml", attachment_only)) == (
        "no text part in the message (only attachments?)"
    )


def test_mbox_gives_each_message_and_names_the_one_left_out(tmp_path: Path) -> None:
    path = write(tmp_path / "inbox.mbox", mbox_text())
    reading = read_file(path)
    assert [a.title for a in reading.articles] == ["Quay fees dropped", "Ferry timetable"]
    assert [a.part for a in reading.articles] == ["<one@example.org>", "<three@example.org>"]
    assert [a.date for a in reading.articles] == ["2021-03-04", "2021-03-05"]
    assert reading.articles[1].authors == ["Tom Lee"]
    assert "From the harbour master's note" in reading.articles[1].body
    assert not reading.articles[1].body.rstrip().endswith("\n>From")
    assert [str(left) for left in reading.left_out] == [
        "message 2: not an e-mail message (no From, Subject, Date or Message-ID header)"
    ]
    assert len({a.id for a in reading.articles}) == 2


def test_mbox_separator_with_its_date_opens_a_message_without_a_blank_line(
    tmp_path: Path,
) -> None:
    two = (
        "From a@example.org Thu Mar  4 09:30:00 2021\nSubject: One\n\nFirst message text.\n"
        "From b@example.org Fri Mar  5 09:30:00 2021\nSubject: Two\n\nSecond message text.\n"
        "From the desk: a line of the second message.\n"
    )
    articles = read_articles(write(tmp_path / "two.mbox", two))
    assert [a.title for a in articles] == ["One", "Two"]
    assert articles[1].body.endswith("From the desk: a line of the second message.")
    assert [a.part for a in articles] == ["#1", "#2"]


def test_not_an_mbox(tmp_path: Path) -> None:
    assert reason(write(tmp_path / "x.mbox", "Subject: hi\n\nno From line")) == (
        "not an mbox mailbox (no line starting with 'From ' opens a message)"
    )


# Feeds


def test_rss_entries_with_link_date_author_and_feed_title(tmp_path: Path) -> None:
    reading = read_file(write(tmp_path / "gazette.rss", RSS))
    bridge, ferries = reading.articles
    assert bridge.format == "feed"
    assert bridge.title == "Bridge approved after long debate"
    assert bridge.url == "https://harbour-gazette.example/bridge"
    assert bridge.date == "2021-03-04"
    assert bridge.authors == ["Ana Ruiz"]
    assert bridge.tags == ["transport"]
    assert bridge.source == ferries.source == "Harbour Gazette"
    assert bridge.body == "The council approved the harbour bridge, rssbridgemarker."
    assert ferries.body == "Two extra crossings a day from April, rssferrymarker."
    # The entry with no text is left out and named; the good ones are kept.
    assert [str(left) for left in reading.left_out] == [
        "entry 2 (Only a headline): no article text"
    ]
    assert [left.part for left in reading.left_out] == ["entry 2 (Only a headline)"]


def test_atom_content_is_preferred_to_the_summary(tmp_path: Path) -> None:
    [entry] = read_articles(write(tmp_path / "courier.atom", ATOM))
    assert entry.title == "Floods close the valley road"
    assert entry.part == "urn:courier:floods"
    assert entry.url == "https://courier.example/floods"
    assert entry.date == "2022-05-09"
    assert entry.authors == ["Mia Chen"]
    assert entry.source == "Valley Courier"
    assert entry.body == (
        "Rivers rose across the valley for a third day, atomfloodmarker.\n\n"
        "The road stays shut until Friday."
    )


def test_files_that_are_not_feeds_are_named(tmp_path: Path) -> None:
    sitemap = '<?xml version="1.0"?><urlset><url><loc>https://x.example/</loc></url></urlset>'
    assert reason(write(tmp_path / "sitemap.xml", sitemap)) == "not an RSS or Atom feed"
    assert reason(write(tmp_path / "junk.rss", b"\x01\x02 garbage <<<")).startswith(
        "not an RSS or Atom feed ("
    )
    empty = '<rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    assert reason(write(tmp_path / "quiet.rss", empty)) == "a feed without entries"
    headlines = RSS.replace("rssbridgemarker", "").split("<item>")
    only_bad = headlines[0] + "<item>" + headlines[2] + "</channel></rss>"
    assert reason(write(tmp_path / "bad.rss", only_bad)).startswith(
        "no readable entries in the feed (entry 1 (Only a headline): no article text"
    )


# EPUB


def test_epub_chapters_in_spine_order_with_contents_titles(tmp_path: Path) -> None:
    path = make_epub(tmp_path / "harbour.epub")
    reading = read_file(path)
    two, one = reading.articles  # the cover has no text and is no chapter
    assert (two.title, one.title) == ("Chapter 2: Winter Ships", "Chapter 1: The Ledger")
    assert (two.part, one.part) == ("OEBPS/text/ch2.xhtml", "OEBPS/text/chapter 1.xhtml")
    assert "epubsecondmarker" in two.body and "epubfirstmarker" not in two.body
    for chapter in reading.articles:
        assert chapter.format == "epub"
        assert chapter.source == "The Harbour Year"
        assert chapter.authors == ["Ana Ruiz"]
        assert chapter.date == "2020-11-02"
    assert len({a.id for a in reading.articles} | {article_id(path)}) == 3
    assert [a.id for a in read_articles(path)] == [two.id, one.id]
    assert reading.left_out == []


def test_drm_protected_chapters_are_named_not_read_as_text(tmp_path: Path) -> None:
    path = make_epub(tmp_path / "drm.epub", encrypted=("OEBPS/text/ch2.xhtml",))
    reading = read_file(path)
    assert [a.title for a in reading.articles] == ["Chapter 1: The Ledger"]
    assert [str(left) for left in reading.left_out] == [
        "chapter 2 (OEBPS/text/ch2.xhtml): encrypted (a DRM-protected book)"
    ]
    both = ("OEBPS/text/ch2.xhtml", "OEBPS/text/chapter%201.xhtml")
    assert reason(make_epub(tmp_path / "all.epub", encrypted=both)) == (
        "no readable chapters in the book "
        "(chapter 2 (OEBPS/text/ch2.xhtml): encrypted (a DRM-protected book))"
    )


def test_broken_epubs_are_named(tmp_path: Path) -> None:
    assert reason(write(tmp_path / "a.epub", b"not a zip")) == (
        "broken EPUB book: not a ZIP archive (damaged or cut short?)"
    )
    with zipfile.ZipFile(tmp_path / "b.epub", "w") as book:
        book.writestr("mimetype", "application/epub+zip")
    assert reason(tmp_path / "b.epub") == "broken EPUB book: META-INF/container.xml is missing"
    good = make_epub(tmp_path / "c.epub")
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(tmp_path / "d.epub", "w") as broken:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename.endswith(".opf"):
                data = data[: len(data) // 2]
            broken.writestr(entry, data)
    assert reason(tmp_path / "d.epub").startswith(
        "broken EPUB book: OEBPS/content.opf is not well-formed XML"
    )


# Encodings


def test_cp1252_text_is_read(tmp_path: Path) -> None:
    text = (
        "Title: Café owners protest the “new” fees\n\n"
        "The café owners in São Paulo said the €5 fee is unfair — and naïve.\n"
    )
    [article] = read_articles(write(tmp_path / "cafe.txt", text.encode("cp1252")))
    assert article.title == "Café owners protest the “new” fees"
    assert "São Paulo said the €5 fee is unfair — and naïve." in article.body
    assert article.encoding == "cp1252"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_text(tmp_path: Path, codec: str) -> None:
    text = "# Sixteen bits\n\nText saved as UTF-16 without a mark, with café and Ōsaka.\n"
    [article] = read_articles(write(tmp_path / "u16.md", text.encode(codec)))
    assert article.title == "Sixteen bits"
    assert article.body == "Text saved as UTF-16 without a mark, with café and Ōsaka."
    assert article.encoding == codec


def test_shift_jis_text_is_read(tmp_path: Path) -> None:
    text = "高市首相、奈良で会談\n\n高市首相は奈良で李大統領と会談し、両首脳は協力を確認した。"
    [article] = read_articles(write(tmp_path / "nara.txt", text.encode("shift_jis")))
    assert article.title == "高市首相、奈良で会談"
    assert "奈良" in article.body
    assert article.encoding in {"cp932", "shift_jis"}


def test_utf8_text_says_so(tmp_path: Path) -> None:
    [article] = read_articles(write(tmp_path / "u.md", "# Quay\n\nCafé owners."))
    assert article.encoding == "utf-8"


def test_real_binaries_are_still_binary(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    assert reason(write(tmp_path / "image.md", png)) == "binary file (contains NUL bytes), not text"


# HTML inside other formats


def test_html_fragments_keep_headings_and_short_snippets() -> None:
    assert html_to_text("<p>Short.</p>") == "Short."
    text = html_to_text(
        "<h2>Story one</h2><p>Rivers rose across the valley for a third day, officials said.</p>"
        "<h2>Story two</h2><p>Train drivers walked out over pay, halting the northern lines.</p>"
    )
    assert text.split("\n\n") == [
        "Story one",
        "Rivers rose across the valley for a third day, officials said.",
        "Story two",
        "Train drivers walked out over pay, halting the northern lines.",
    ]


def test_a_pdf_title_printed_on_its_first_page_is_shown_once(tmp_path: Path) -> None:
    lines = ["Harbour  budget approved", "The city council approved the budget on Tuesday."]
    path = write(tmp_path / "once.pdf", make_pdf([lines], {"Title": "Harbour budget approved"}))
    [article] = read_articles(path)
    assert article.title == "Harbour budget approved"
    assert article.body.startswith("The city council approved")


def test_a_web_page_is_not_dated_by_a_year_in_its_text(tmp_path: Path) -> None:
    paragraphs = "".join(
        f"<p>{s}</p>"
        for s in (
            "Carmaker sales rose again this spring, the company said on its results day.",
            "In 1999 the group still owned the Rover brand and its factory at Longbridge.",
            "Analysts expect more growth in Asia, where demand for small cars is strong.",
        )
    )
    page = f"<html><head><title>Sales rise</title></head><body><h1>Sales rise</h1>{paragraphs}</body></html>"
    [article] = read_articles(write(tmp_path / "saved.html", page))
    assert article.date is None
    dated = page.replace(
        "<head>", '<head><meta property="article:published_time" content="2005-03-04">'
    )
    [article] = read_articles(write(tmp_path / "dated.html", dated))
    assert article.date == "2005-03-04"
