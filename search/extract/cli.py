"""`briefing extract`: one article's extraction as JSON, or a stream of JSON lines in and out."""

from __future__ import annotations

import argparse
import json
import sys
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from search.extract import ModelUnavailable, extract_texts
from search.models import Extraction


def cmd_extract(args: argparse.Namespace) -> int:
    """Entry point for main.py: `extract FILE` or `extract --jsonl` (stdin to stdout)."""
    processes = max(1, int(getattr(args, "processes", 1) or 1))
    try:
        if args.jsonl:
            return extract_jsonl(sys.stdin, sys.stdout, processes)
        if not args.file:
            print(
                json.dumps({"error": "give a FILE to extract from, or --jsonl to read stdin"}),
                file=sys.stderr,
            )
            return 2
        return extract_file(Path(args.file), sys.stdout)
    except ModelUnavailable as exc:
        print(json.dumps({"error": f"extraction model unavailable: {exc}"}), file=sys.stderr)
        return 3


def extract_file(path: Path, out: TextIO) -> int:
    """Print the extraction of one article file (read as the index reads it) as indented JSON."""
    from search.read import ReadError, read_article

    try:
        article = read_article(path)
    except ReadError as exc:
        print(json.dumps({"error": f"{path}: {exc}"}), file=sys.stderr)
        return 1
    extraction = next(extract_texts([article.body]))
    record = {
        "id": article.id,
        "path": article.path,
        "title": article.title,
        **extraction.to_dict(),
    }
    json.dump(record, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return 0


def _parse_line(line: str, lineno: int) -> tuple[str, str] | dict[str, Any]:
    """(id, text) from one input line, or the error record to print in its place."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"line {lineno}: not JSON ({exc.msg} at column {exc.colno})"}
    if not isinstance(record, dict):
        return {"id": None, "error": f'line {lineno}: expected an object {{"id", "text"}}'}
    doc_id = record.get("id")
    if doc_id is None:
        return {"id": None, "error": f'line {lineno}: missing "id"'}
    text = record.get("text")
    if not isinstance(text, str):
        problem = 'missing "text"' if text is None else '"text" is not a string'
        return {"id": str(doc_id), "error": f"line {lineno}: {problem}"}
    return str(doc_id), text


def extract_jsonl(inp: TextIO, out: TextIO, processes: int = 1) -> int:
    """One output line per input line, in order, flushed as each is written; bad lines get an error line."""
    # Parsed ids wait here in input order; errors are printed when every earlier document is out.
    pending: deque[str | dict[str, Any]] = deque()

    def texts() -> Iterator[str]:
        for lineno, line in enumerate(inp, 1):
            if not line.strip():
                continue
            parsed = _parse_line(line, lineno)
            if isinstance(parsed, dict):
                pending.append(parsed)
            else:
                pending.append(parsed[0])
                yield parsed[1]

    def write(record: dict[str, Any]) -> None:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()

    def flush_errors() -> None:
        while pending and isinstance(pending[0], dict):
            write(pending.popleft())  # type: ignore[arg-type]

    extractions: Iterator[Extraction] = extract_texts(texts(), processes=processes)
    for extraction in extractions:
        flush_errors()
        doc_id = pending.popleft()
        write({"id": doc_id, **extraction.to_dict()})
    flush_errors()
    return 0
