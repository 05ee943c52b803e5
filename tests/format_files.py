"""Small files of every format the readers take (PDF, Word, e-mail, mailbox, RSS, Atom, EPUB), made by the tests."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
# Made once with Ghostscript from make_pdf([["Locked report on the harbour budget."]],
# {"Title": "Locked report"}):
#   gs -sDEVICE=pdfwrite -sOwnerPassword=owner -sUserPassword=secret -dEncryptionR=3 ...
ENCRYPTED_PDF = FIXTURES / "encrypted.pdf"


def make_pdf(pages: list[list[str] | None], info: dict[str, str] | None = None) -> bytes:
    """A PDF whose pages hold these lines in Helvetica (None: a page with only a grey box, as a
    scan without a text layer has only its image); `info` is the document's metadata."""
    objects: list[bytes] = [
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"",  # the page tree, once the pages are numbered
    ]
    kids = []
    for lines in pages:
        if lines is None:
            stream = b"0.5 g 72 72 400 600 re f"
        else:
            shown = [
                b"("
                + line.encode("cp1252")
                .replace(b"\\", b"\\\\")
                .replace(b"(", b"\\(")
                .replace(b")", b"\\)")
                + b") Tj T*"
                for line in lines
            ]
            stream = b"\n".join([b"BT /F1 11 Tf 72 720 Td 14 TL", *shown, b"ET"])
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 1 0 R >> >> /Contents %d 0 R >>" % len(objects)
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids),
        len(kids),
    )
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    trailer = b"/Root %d 0 R" % len(objects)
    if info:
        entries = b" ".join(
            b"/%s (%s)" % (k.encode(), v.encode("latin-1")) for k, v in info.items()
        )
        objects.append(b"<< " + entries + b" >>")
        trailer += b" /Info %d 0 R" % len(objects)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref,
    )
    return bytes(out)


WORD_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def make_docx(
    path: Path, paragraphs: list[tuple[str | None, str]], core: dict[str, str] | None = None
) -> Path:
    """A Word document of (style, text) paragraphs ("Heading1", "Heading2" or None), with
    core properties such as {"dc:title": ..., "dc:creator": ..., "dcterms:created": ...}."""
    body = "".join(
        "<w:p>"
        + (f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else "")
        + f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
        for style, text in paragraphs
    )
    styles = "".join(
        f'<w:style w:type="paragraph" w:styleId="Heading{n}"><w:name w:val="heading {n}"/></w:style>'
        for n in (1, 2)
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS_NS}">'
            f'<Relationship Id="rId1" Type="{OFFICE_RELS}/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "word/_rels/document.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS_NS}">'
            f'<Relationship Id="rId1" Type="{OFFICE_RELS}/styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        archive.writestr("word/styles.xml", f"<w:styles {WORD_NS}>{styles}</w:styles>")
        archive.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:document {WORD_NS}><w:body>{body}</w:body></w:document>',
        )
        if core is not None:
            properties = "".join(f"<{key}>{escape(value)}</{key}>" for key, value in core.items())
            archive.writestr(
                "docProps/core.xml",
                '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties '
                'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
                'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
                f"{properties}</cp:coreProperties>",
            )
    return path


NEWSLETTER_EML = """\
From: Ana Ruiz <ana@harbour-gazette.example>
To: reader@example.org
Subject: =?utf-8?q?Harbour_briefing=3A_caf=C3=A9_owners_win?=
Date: Thu, 04 Mar 2021 09:30:00 +0000
Message-ID: <briefing-1@harbour-gazette.example>
List-Id: "Harbour Briefing" <briefing.harbour-gazette.example>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Caf=C3=A9 owners on the quay won their appeal against the new harbour fees on
Wednesday, the council said.

The second story: ferry timetables change in April, with two extra
crossings a day to the islands for the summer season.

--b1
Content-Type: text/html; charset=utf-8

<html><body><h1>Harbour briefing</h1><p>Caf&eacute; owners won. HTMLONLYWORD</p></body></html>
--b1--
"""

HTML_ONLY_EML = """\
From: "City Desk" <desk@citynews.example>
Subject: Three stories this week
Date: Mon, 10 May 2021 07:00:00 +0200
MIME-Version: 1.0
Content-Type: text/html; charset=windows-1252

<html><body>
<h2>Floods close the valley road</h2>
<p>Rivers rose across the valley as rain fell for a third day, officials in Leeds said on Monday.</p>
<h2>Rail strike ends</h2>
<p>Train drivers returned to work after a two-day walkout over pay, the union said on Sunday.</p>
<h2>Budget for schools</h2>
<p>The council set aside four million pounds for new classrooms, libraries and playgrounds.</p>
<p><a href="https://citynews.example/unsubscribe">Unsubscribe</a></p>
</body></html>
"""


def mbox_text() -> str:
    """Three messages, the second without any header an e-mail has, the third quoting a "From " line."""
    return (
        "From ana@example.org Thu Mar  4 09:30:00 2021\n"
        "From: Ana Ruiz <ana@example.org>\n"
        "Subject: Quay fees dropped\n"
        "Date: Thu, 04 Mar 2021 09:30:00 +0000\n"
        "Message-ID: <one@example.org>\n"
        "\n"
        "The council dropped the quay fees after the cafe owners' appeal, mboxfirstmarker.\n"
        "\n"
        "From nobody Thu Mar  4 10:00:00 2021\n"
        "just some words without headers\n"
        "\n"
        "From tom@example.org Fri Mar  5 11:00:00 2021\n"
        "From: Tom Lee <tom@example.org>\n"
        "Subject: Ferry timetable\n"
        "Date: Fri, 05 Mar 2021 11:00:00 +0000\n"
        "Message-ID: <three@example.org>\n"
        "\n"
        "Two extra crossings a day from April, mboxthirdmarker.\n"
        ">From the harbour master's note: book early.\n"
    )


RSS = """\
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Harbour Gazette</title>
  <link>https://harbour-gazette.example/</link>
  <item>
    <title>Bridge approved after long debate</title>
    <link>https://harbour-gazette.example/bridge</link>
    <guid isPermaLink="false">urn:gazette:bridge</guid>
    <pubDate>Thu, 04 Mar 2021 10:00:00 GMT</pubDate>
    <dc:creator>Ana Ruiz</dc:creator>
    <category>transport</category>
    <description>&lt;p&gt;The council approved the &lt;b&gt;harbour bridge&lt;/b&gt;, rssbridgemarker.&lt;/p&gt;&lt;script&gt;alert("x")&lt;/script&gt;</description>
  </item>
  <item>
    <title>Only a headline</title>
    <guid>urn:gazette:headline-only</guid>
  </item>
  <item>
    <title>Ferries add crossings</title>
    <link>https://harbour-gazette.example/ferries</link>
    <guid>urn:gazette:ferries</guid>
    <pubDate>Fri, 05 Mar 2021 08:00:00 GMT</pubDate>
    <description>Two extra crossings a day from April, rssferrymarker.</description>
  </item>
</channel>
</rss>
"""

ATOM = """\
<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Valley Courier</title>
  <id>urn:courier</id>
  <updated>2022-05-09T08:00:00Z</updated>
  <entry>
    <title type="html">Floods &lt;em&gt;close&lt;/em&gt; the valley road</title>
    <id>urn:courier:floods</id>
    <link rel="alternate" href="https://courier.example/floods"/>
    <updated>2022-05-09T08:00:00Z</updated>
    <author><name>Mia Chen</name></author>
    <summary>Short summary.</summary>
    <content type="html">&lt;p&gt;Rivers rose across the valley for a third day, atomfloodmarker.&lt;/p&gt;&lt;p&gt;The road stays shut until Friday.&lt;/p&gt;</content>
  </entry>
</feed>
"""

CHAPTER = """\
<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>The Harbour Year</title></head>
<body><h1>{heading}</h1>{paragraphs}</body></html>
"""


def chapter(heading: str, marker: str) -> str:
    sentence = (
        f"The harbour master counted the ships again that morning, {marker}, and wrote the "
        "numbers in the ledger that the council reads each month."
    )
    return CHAPTER.format(heading=heading, paragraphs=f"<p>{sentence}</p>" * 3)


def make_epub(path: Path, *, encrypted: tuple[str, ...] = ()) -> Path:
    """A book whose spine reads cover, chapter 2, chapter 1 (the spine, not the manifest, gives the
    order), with an EPUB 3 table of contents naming the chapters; `encrypted` lists entries that
    META-INF/encryption.xml marks as ciphertext (as a DRM-protected book's chapters are)."""
    manifest = {
        "cover": (
            "text/cover.xhtml",
            '<html xmlns="http://www.w3.org/1999/xhtml"><body><img src="c.jpg" alt="Cover"/></body></html>',
        ),
        "ch1": ("text/chapter%201.xhtml", chapter("One", "epubfirstmarker")),
        "ch2": ("text/ch2.xhtml", chapter("Two", "epubsecondmarker")),
    }
    nav = (
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><body>'
        '<nav epub:type="toc"><ol>'
        '<li><a href="text/chapter%201.xhtml">Chapter 1: The Ledger</a></li>'
        '<li><a href="text/ch2.xhtml#start">Chapter 2: Winter Ships</a></li>'
        "</ol></nav></body></html>"
    )
    items = "".join(
        f'<item id="{item_id}" href="{href}" media-type="application/xhtml+xml"/>'
        for item_id, (href, _) in manifest.items()
    )
    itemrefs = "".join(f'<itemref idref="{item_id}"/>' for item_id in ("cover", "ch2", "ch1"))
    opf = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:title>The Harbour Year</dc:title><dc:creator>Ana Ruiz</dc:creator>"
        '<dc:date>2020-11-02</dc:date><dc:identifier id="id">urn:book</dc:identifier>'
        "</metadata>"
        f'<manifest>{items}<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/></manifest>'
        f'<spine><itemref idref="nav" linear="no"/>{itemrefs}</spine></package>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" '
            'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>",
        )
        archive.writestr("OEBPS/content.opf", opf)
        archive.writestr("OEBPS/nav.xhtml", nav)
        for href, text in manifest.values():
            archive.writestr("OEBPS/" + href.replace("%20", " "), text)
        if encrypted:
            references = "".join(
                f'<enc:EncryptedData><enc:CipherData><enc:CipherReference URI="{name}"/>'
                "</enc:CipherData></enc:EncryptedData>"
                for name in encrypted
            )
            archive.writestr(
                "META-INF/encryption.xml",
                '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
                'xmlns:enc="http://www.w3.org/2001/04/xmlenc#">' + references + "</encryption>",
            )
    return path
