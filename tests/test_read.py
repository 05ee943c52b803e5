"""Reading article files: each format, dates, and each kind of bad input skipped with a clear reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.read import (
    MAX_BYTES,
    ReadError,
    article_id,
    find_dateline,
    normalize_date,
    read_article,
)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).parent / "fixtures" / "articles"


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_markdown_front_matter_is_read() -> None:
    article = read_article(FIXTURES / "front_matter.md")
    assert article.format == "md"
    assert article.title == "Council approves harbour bridge"
    assert article.date == "2021-03-04"
    assert article.source == "Harbour Gazette"
    assert article.url == "https://example.org/bridge"
    assert article.authors == ["Ana Ruiz", "Tom Lee"]
    assert article.tags == ["transport", "council"]
    assert article.licence == "CC BY 4.0"
    assert article.body.startswith("The city council voted")
    assert "---" not in article.body


def test_seed_article_reads_with_its_headline_and_stable_id() -> None:
    path = SEEDS / "takaichi_lee_nara_summit.md"
    article = read_article(path)
    assert "Takaichi" in article.title
    assert "forced laborers" in article.body
    assert article.id == article_id(path) == read_article(path).id
    assert len(article.id) == 12
    assert len(article.content_hash) == 64


def test_markdown_without_front_matter_takes_the_first_heading_as_title(tmp_path: Path) -> None:
    article = read_article(
        write(tmp_path / "a.md", "# Floods close the valley road\n\nWater rose.")
    )
    assert article.title == "Floods close the valley road"
    assert article.body == "Water rose."


def test_wikinews_text_header_is_understood() -> None:
    article = read_article(SHARED / "corpus" / "wikinews" / "GUM_news_afghan.txt")
    assert article.format == "txt"
    assert article.title.startswith("After visa snags")
    assert article.date == "2017-07-18"
    assert article.source == "Wikinews"
    assert article.url and article.url.startswith("https://en.wikinews.org/")
    assert article.licence and "CC BY 2.5" in article.licence
    # The headline repeated as the text's first line is shown once.
    assert not article.body.startswith("After visa snags")


def test_plain_text_without_header_uses_first_line_and_dateline(tmp_path: Path) -> None:
    path = write(
        tmp_path / "plain.txt",
        "Storm batters the coast\n\nFriday, July 21, 2017\n\nWinds reached 120 km/h.",
    )
    article = read_article(path)
    assert article.title == "Storm batters the coast"
    assert article.date == "2017-07-21"
    assert article.source is None
    assert article.body.startswith("Friday, July 21, 2017")


def test_html_main_text_is_extracted_without_boilerplate() -> None:
    article = read_article(FIXTURES / "saved_page.html")
    assert article.format == "html"
    assert article.title == "Rail strike halts northern lines"
    assert "Train drivers walked out" in article.body
    assert "Subscribe to our newsletter" not in article.body
    assert "Cookie settings" not in article.body
    assert article.date == "2019-11-05"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Friday, July 21, 2017\n\nText", "2017-07-21"),
        ("Tuesday, September 1, 2015", "2015-09-01"),
        ("LONDON, 5 March 2020 — text", "2020-03-05"),
        ("Sept. 3, 2019: text", "2019-09-03"),
        ("No date at all here", None),
        ("February 30, 2019 is not a day", None),
    ],
)
def test_dateline(text: str, expected: str | None) -> None:
    assert find_dateline(text) == expected


def test_dateline_far_down_the_text_is_not_the_articles_date() -> None:
    assert find_dateline("word " * 200 + "July 21, 2017") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2015-08-21", "2015-08-21"),
        ("2015-08-21T10:00:00Z", "2015-08-21"),
        ("soon", None),
        (42, None),
    ],
)
def test_normalize_date(value: object, expected: str | None) -> None:
    assert normalize_date(value) == expected


def test_front_matter_date_that_is_not_a_date_falls_back_to_the_dateline(tmp_path: Path) -> None:
    path = write(
        tmp_path / "d.md",
        "---\ntitle: T\ndate: next Tuesday\n---\nMonday, May 18, 2015\n\nBody text.",
    )
    assert read_article(path).date == "2015-05-18"


def reason(path: Path) -> str:
    with pytest.raises(ReadError) as caught:
        read_article(path)
    return str(caught.value)


def test_latin1_text_is_read_and_says_its_encoding(tmp_path: Path) -> None:
    text = "Caf\xe9 owners protest\n\nThe owners of the caf\xe9 met on Monday."
    article = read_article(write(tmp_path / "latin1.txt", text.encode("latin-1")))
    assert article.title == "Caf\xe9 owners protest"
    assert article.encoding == "cp1252"


def test_bytes_no_encoding_reads_name_the_utf8_byte(tmp_path: Path) -> None:
    path = write(tmp_path / "garbled.txt", b"Caf\xe9 " + bytes(range(0x80, 0x100)) + b" ok\n")
    assert reason(path).startswith("not UTF-8 (byte 0xe9 at offset 3)")


def test_binary_file(tmp_path: Path) -> None:
    assert "binary" in reason(write(tmp_path / "b.md", b"PK\x03\x04\x00\x00data"))


@pytest.mark.parametrize("content", ["", "  \n\n  "])
def test_empty_file(tmp_path: Path, content: str) -> None:
    assert reason(write(tmp_path / "e.txt", content)) == "empty file"


def test_front_matter_only_has_no_article_text(tmp_path: Path) -> None:
    assert "no article text" in reason(write(tmp_path / "fm.md", "---\ntitle: Only this\n---\n"))


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:  # sparse: no 20 MB written to disk
        f.truncate(MAX_BYTES + 1)
    assert reason(path).startswith("too large (20.0 MB")


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "secret.md", "# Secret\n\ntext")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    # Simulated: the tests may run as root, who can read a file whatever its permissions.
    monkeypatch.setattr(Path, "read_bytes", denied)
    assert reason(path) == "unreadable: permission denied"


def test_broken_yaml_front_matter_says_where(tmp_path: Path) -> None:
    path = write(tmp_path / "y.md", "---\ntitle: [unclosed\ndate: 2020-01-01\n---\nBody")
    assert reason(path).startswith("broken YAML front matter at line")


def test_unclosed_front_matter(tmp_path: Path) -> None:
    path = write(tmp_path / "u.md", "---\ntitle: Open\nBody without a closing line")
    assert reason(path) == "broken YAML front matter: no closing '---' line"


def test_front_matter_that_is_not_a_mapping(tmp_path: Path) -> None:
    assert "key: value" in reason(write(tmp_path / "l.md", "---\n- a\n- b\n---\nBody"))


def test_html_without_main_text(tmp_path: Path) -> None:
    path = write(tmp_path / "nav.html", "<html><body><nav><a href='/'>Home</a></nav></body></html>")
    assert reason(path) == "no article text found in the web page"


def test_unsupported_suffix(tmp_path: Path) -> None:
    assert reason(write(tmp_path / "x.pages", "PK")).startswith("unsupported file type .pages")


def test_source_file_is_never_modified(tmp_path: Path) -> None:
    path = write(tmp_path / "k.md", "---\ntitle: Keep\n---\nBody\r\nline")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    read_article(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_utf16_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    text = "---\ntitle: Sixteen bits\n---\n\nText saved as UTF-16 by an old editor.\n"
    article = read_article(write(tmp_path / "u16.md", text.encode("utf-16")))
    assert article.title == "Sixteen bits"
    assert article.body == "Text saved as UTF-16 by an old editor."
