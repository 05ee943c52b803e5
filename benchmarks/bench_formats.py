"""Import speed by format: the same BBC stories as Markdown, PDF, Word, an mbox, an RSS feed and
EPUB, read and indexed (extraction stood in, so the formats' reading and writing are what is
timed; spaCy costs the same whatever the format).

Usage: python -m benchmarks.bench_formats [--stories N]
Prints one JSON line: per format, articles/s and text MB/s of a whole sync, and the peak RSS.
"""

from __future__ import annotations

import argparse
import email.utils
import html
import resource
import shutil
import tempfile
import time
import zipfile
from pathlib import Path

from benchmarks.common import cheap_extractor, emit, note
from benchmarks.corpus import load_bbc
from search.index import ArticleIndex
from tests.format_files import make_docx, make_pdf


def _write(kind: str, folder: Path, stories: list[tuple[str, str]]) -> None:
    folder.mkdir(parents=True)
    if kind == "markdown":
        for n, (title, body) in enumerate(stories):
            (folder / f"{n}.md").write_text(f"# {title}\n\n{body}\n", encoding="utf-8")
    elif kind == "pdf":
        for n, (title, body) in enumerate(stories):
            lines = [title, *(p for p in body.split("\n") if p.strip())]
            (folder / f"{n}.pdf").write_bytes(make_pdf([lines]))
    elif kind == "docx":
        for n, (title, body) in enumerate(stories):
            paragraphs = [("Heading1", title), *((None, p) for p in body.split("\n") if p.strip())]
            make_docx(folder / f"{n}.docx", paragraphs)
    elif kind == "mbox":
        messages = []
        for n, (title, body) in enumerate(stories):
            date = email.utils.format_datetime(email.utils.localtime())
            messages.append(
                f"From desk@example.org Thu Mar  4 09:30:00 2021\nFrom: Desk <desk@example.org>\n"
                f"Subject: {title}\nDate: {date}\nMessage-ID: <{n}@example.org>\n\n{body}\n\n"
            )
        (folder / "desk.mbox").write_text("".join(messages), encoding="utf-8")
    elif kind == "rss":
        items = "".join(
            f"<item><title>{html.escape(title)}</title><guid>urn:story:{n}</guid>"
            f"<description>{html.escape(''.join(f'<p>{p}</p>' for p in body.split(chr(10))))}"
            "</description></item>"
            for n, (title, body) in enumerate(stories)
        )
        (folder / "wire.rss").write_text(
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}'
            "</channel></rss>",
            encoding="utf-8",
        )
    elif kind == "epub":
        _epub(folder / "book.epub", stories)


def _epub(path: Path, stories: list[tuple[str, str]]) -> None:
    """A book of one chapter per story, in spine order."""
    chapters = {
        f"c{n}": (
            f"c{n}.xhtml",
            f'<html xmlns="http://www.w3.org/1999/xhtml"><body><h1>{html.escape(title)}</h1>'
            + "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n") if p.strip())
            + "</body></html>",
        )
        for n, (title, body) in enumerate(stories)
    }
    items = "".join(
        f'<item id="{key}" href="{href}" media-type="application/xhtml+xml"/>'
        for key, (href, _) in chapters.items()
    )
    spine = "".join(f'<itemref idref="{key}"/>' for key in chapters)
    opf = (
        '<?xml version="1.0" encoding="utf-8"?><package xmlns="http://www.idpf.org/2007/opf" '
        'version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:title>Stories</dc:title><dc:identifier id="id">urn:b</dc:identifier></metadata>'
        f"<manifest>{items}</manifest><spine>{spine}</spine></package>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" '
            'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="content.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>",
        )
        archive.writestr("content.opf", opf)
        for href, text in chapters.values():
            archive.writestr(href, text)


KINDS = ("markdown", "pdf", "docx", "mbox", "rss", "epub")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=300)
    args = parser.parse_args(argv)
    stories = [(row.title, row.body) for row in load_bbc(args.stories)]
    text_mb = sum(len(t) + len(b) for t, b in stories) / 1e6
    figures: dict[str, object] = {"stories": len(stories), "text_mb": round(text_mb, 2)}
    work = Path(tempfile.mkdtemp(prefix="bench-formats-"))
    try:
        # Warm-up: imports (whoosh, datasketch with scipy) and caches, paid once, not by markdown.
        _write("markdown", work / "warm", stories[:5])
        ArticleIndex.open(work / "data-warm").sync([work / "warm"], extractor=cheap_extractor)
        for kind in KINDS:
            folder = work / kind
            _write(kind, folder, stories)
            index = ArticleIndex.open(work / f"data-{kind}")
            started = time.perf_counter()
            report = index.sync([folder], extractor=cheap_extractor)
            seconds = time.perf_counter() - started
            articles = index.count()
            index.close()
            figures[kind] = {
                "articles": articles,
                "seconds": round(seconds, 2),
                "articles_per_s": round(articles / seconds, 1),
                "text_mb_per_s": round(text_mb / seconds, 2),
                "skipped": len(report.skipped),
            }
            note(f"{kind}: {articles} articles in {seconds:.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    emit(figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
