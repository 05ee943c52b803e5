"""`briefing note …` and `briefing state …`: output, JSON, exit codes; the user's state through
`index --rebuild`, an export and import (and a file it must refuse), and a kill -9 mid-write."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from libraries import run
from test_printing import pdf_text

from search.highlights import add_highlight, quote_selector
from search.index import ArticleIndex
from search.notes_cli import article_text
from search.state import FORMAT
from search.store import MIGRATIONS, STORE_FILE, Store

PROJECT = Path(__file__).resolve().parent.parent


def article_id(data: Path, capsys: pytest.CaptureFixture[str], title: str) -> str:
    code, out, _ = run(data, capsys, "search", f"title:{title}", "--json")
    assert code == 0
    return str(json.loads(out)["hits"][0]["id"])


def test_note_set_show_list_clear(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = article_id(data, capsys, "One")
    code, out, _ = run(data, capsys, "note", "set", one, "--so-what", "Labour holds Nara")
    assert (code, out) == (0, f"note on {one} saved\n")
    assert run(data, capsys, "note", "set", one, "--body", "Ask the whips.")[0] == 0
    code, out, _ = run(data, capsys, "note", "show", one)
    assert code == 0
    assert out.splitlines()[1:] == ["so what: Labour holds Nara", "Ask the whips."]
    code, out, _ = run(data, capsys, "note", "show", one, "--json")
    shown = json.loads(out)
    assert (shown["so_what"], shown["body"], shown["title"]) == (
        "Labour holds Nara",
        "Ask the whips.",
        "One",
    )
    code, out, _ = run(data, capsys, "note", "list", "--json")
    assert [(n["article_id"], n["title"]) for n in json.loads(out)] == [(one, "One")]
    code, out, _ = run(data, capsys, "search", "note:nara", "--json")
    assert [hit["id"] for hit in json.loads(out)["hits"]] == [one]
    assert run(data, capsys, "note", "clear", one)[0] == 0
    code, _, err = run(data, capsys, "note", "clear", one)
    assert code == 2 and f"article {one} has no note" in err
    code, out, _ = run(data, capsys, "note", "list")
    assert code == 0 and out.startswith("No notes")


def test_bad_note_commands_exit_2_and_say_why(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(data, capsys, "note", "set", "nosuchid", "--so-what", "x")
    assert code == 2 and "no article with id 'nosuchid' in the index (3 articles)" in err
    one = article_id(data, capsys, "One")
    code, _, err = run(data, capsys, "note", "set", one)
    assert code == 2 and "--so-what TEXT and/or --body TEXT" in err
    code, _, err = run(data, capsys, "note", "set", one, "--so-what", "y" * 400)
    assert code == 2 and "one line of at most 300" in err
    code, _, err = run(data, capsys, "note", "show", "nosuchid")
    assert code == 2 and "no article with id" in err


def test_the_card_prints_the_so_what(
    data: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    one = article_id(data, capsys, "One")
    run(data, capsys, "note", "set", one, "--so-what", "Brief the Minister before Tuesday")
    out = tmp_path / "card.pdf"
    assert run(data, capsys, "card", one, "--pdf", str(out))[0] == 0
    text = " ".join(pdf_text(out).split())
    assert "So what: Brief the Minister before Tuesday" in text
    # Under the bottom line, above the rest of the card.
    assert text.index("Labour Party wins") < text.index("So what:") < text.upper().index("WHO")


def test_notes_and_highlights_survive_index_rebuild(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = article_id(data, capsys, "One")
    run(data, capsys, "note", "set", one, "--so-what", "Kept through a rebuild")
    index = ArticleIndex.open(data)
    stored = index.get(one)
    assert stored is not None
    text = article_text(stored)
    start = text.index("Ed Miliband")
    add_highlight(index.store, one, quote_selector(text, start, start + len("Ed Miliband")))
    index.close()
    assert run(data, capsys, "index", "--rebuild", "--progress", "none")[0] == 0
    code, out, _ = run(data, capsys, "note", "show", one, "--json")
    shown = json.loads(out)
    assert shown["so_what"] == "Kept through a rebuild"
    assert [(h["exact"], h["found"]) for h in shown["highlights"]] == [("Ed Miliband", True)]
    code, out, _ = run(data, capsys, "note", "show", one)
    assert "highlight 1: “Ed Miliband”" in out and "not found" not in out


def test_state_export_then_import_puts_everything_back(
    data: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    one, two = article_id(data, capsys, "One"), article_id(data, capsys, "Two")
    run(data, capsys, "note", "set", one, "--so-what", "first")
    run(data, capsys, "entity", "rename", "Labour", "UK Labour")
    exported = tmp_path / "state.json"
    code, out, _ = run(data, capsys, "state", "export", str(exported))
    assert code == 0 and "correction 1" in out and "note 1" in out
    document = json.loads(exported.read_text())
    assert document["format"] == FORMAT and document["schema"] == len(MIGRATIONS)
    store = Store.open(data)
    with store.reading() as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    store.close()
    assert {t for t in tables if not t.startswith("sqlite_")} == set(document["tables"])
    # Changed after the export, then put back by the import.
    run(data, capsys, "note", "set", one, "--so-what", "second")
    run(data, capsys, "note", "set", two, "--body", "new")
    run(data, capsys, "entity", "undo")
    code, out, _ = run(data, capsys, "state", "import", str(exported))
    assert code == 0 and "the old store is kept as" in out
    kept = Path(out.rsplit("the old store is kept as ", 1)[1].strip())
    assert kept.parent == data and kept.name.startswith(f"{STORE_FILE}.before-import-")
    code, out, _ = run(data, capsys, "note", "list", "--json")
    assert [(n["article_id"], n["so_what"]) for n in json.loads(out)] == [(one, "first")]
    code, out, _ = run(data, capsys, "entity", "corrections", "--json")
    assert [c["value"] for c in json.loads(out)] == ["UK Labour"]
    # The copy kept beside holds the state as it was before the import.
    old = sqlite3.connect(kept)
    assert old.execute("SELECT so_what FROM note WHERE article_id = ?", (one,)).fetchone() == (
        "second",
    )
    old.close()


def test_state_import_refuses_a_newer_or_damaged_file_and_changes_nothing(
    data: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    one = article_id(data, capsys, "One")
    run(data, capsys, "note", "set", one, "--so-what", "keep me")
    exported = tmp_path / "state.json"
    run(data, capsys, "state", "export", str(exported))
    document = json.loads(exported.read_text())
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({**document, "schema": len(MIGRATIONS) + 1}))
    code, _, err = run(data, capsys, "state", "import", str(newer))
    assert code == 2 and "exported by a newer version of Briefing Cards" in err
    cut = tmp_path / "cut.json"
    cut.write_text(exported.read_text()[:200])
    code, _, err = run(data, capsys, "state", "import", str(cut))
    assert code == 2 and "is damaged: it is not a JSON file" in err
    document["tables"]["note"]["rows"][0] = document["tables"]["note"]["rows"][0][:2]
    short = tmp_path / "short.json"
    short.write_text(json.dumps(document))
    code, _, err = run(data, capsys, "state", "import", str(short))
    assert code == 2 and "row 1 of 'note' is cut short" in err
    del document["tables"]["highlight"]
    missing = tmp_path / "missing.json"
    missing.write_text(json.dumps(document))
    code, _, err = run(data, capsys, "state", "import", str(missing))
    assert code == 2 and "the table 'highlight' is missing" in err
    code, _, err = run(data, capsys, "state", "import", str(tmp_path / "absent.json"))
    assert code == 2 and "cannot read" in err
    code, out, _ = run(data, capsys, "note", "show", one, "--json")
    assert json.loads(out)["so_what"] == "keep me"
    assert not list(data.glob(f"{STORE_FILE}.before-import-*"))


@pytest.mark.parametrize(
    ("table", "column", "value", "wrong"),
    [
        ("highlight", "start_hint", "abc", "is 'abc', not a whole number"),
        ("highlight", "start_hint", True, "is True, not a whole number"),
        ("highlight", "exact", 7, "is 7, not text"),
        ("highlight", "made", None, "is empty, but must have a value"),
        ("watch", "seen_at", 12345, "is 12345, not text"),
        ("watch", "seen_at", "last Tuesday", "is 'last Tuesday', not an ISO 8601 time"),
        ("note", "updated", "2025-13-40", "is '2025-13-40', not an ISO 8601 time"),
    ],
)
def test_state_import_refuses_a_value_of_the_wrong_type_naming_table_row_and_column(
    data: Path,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    table: str,
    column: str,
    value: object,
    wrong: str,
) -> None:
    """SQLite keeps any value in any column: a file must not bring in one that the commands
    reading it later would fail on (`note show`, `watch list`)."""
    one = article_id(data, capsys, "One")
    run(data, capsys, "note", "set", one, "--so-what", "keep me")
    index = ArticleIndex.open(data)
    stored = index.get(one)
    assert stored is not None
    text = article_text(stored)
    start = text.index("Ed Miliband")
    add_highlight(index.store, one, quote_selector(text, start, start + len("Ed Miliband")))
    index.close()
    assert run(data, capsys, "watch", "add", "Labour", "Labour")[0] == 0
    exported = tmp_path / "state.json"
    assert run(data, capsys, "state", "export", str(exported))[0] == 0
    document = json.loads(exported.read_text())
    content = document["tables"][table]
    content["rows"][0][content["columns"].index(column)] = value
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    code, out, err = run(data, capsys, "state", "import", str(bad))
    assert (code, out) == (2, "")
    assert f"row 1 of {table!r}, column {column!r} {wrong}" in err
    assert not list(data.glob(f"{STORE_FILE}.before-import-*"))
    again = tmp_path / "again.json"
    run(data, capsys, "state", "export", str(again))
    assert json.loads(again.read_text())["tables"] == json.loads(exported.read_text())["tables"]
    assert run(data, capsys, "note", "show", one)[0] == 0
    assert run(data, capsys, "watch", "list")[0] == 0


def test_state_export_to_a_folder_that_is_not_there_exits_2_naming_it(
    data: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "absent" / "state.json"
    code, _, err = run(data, capsys, "state", "export", str(out))
    assert code == 2
    assert f"cannot write {out}: folder {out.parent} does not exist" in err
    code, _, err = run(data, capsys, "state", "export", str(tmp_path))  # a folder, not a file
    assert code == 2 and f"cannot write {tmp_path}" in err
    assert not list(tmp_path.glob(".*.partial"))


def test_a_damaged_store_exits_1_for_note_searches_and_lists_and_says_what_is_lost(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = article_id(data, capsys, "One")
    run(data, capsys, "note", "set", one, "--so-what", "lost")
    run(data, capsys, "watch", "add", "Labour", "Labour")
    store = data / STORE_FILE
    with store.open("r+b") as f:  # every page but the first (the header and the table list)
        f.seek(4096)
        f.write(b"\xff" * (store.stat().st_size - 4096))
    code, out, err = run(data, capsys, "search", "note:lost")
    assert (code, out) == (1, "")
    assert f"{store} is damaged" in err and "Traceback" not in err
    for command in (("note", "list"), ("watch", "list")):
        code, _, err = run(data, capsys, *command)
        assert code == 1 and f"{store} is damaged" in err, command
        # Worded for every kind of user state, with its advice kept.
        assert "notes, highlights, watch lists, briefs, corrections" in err
        assert "without your corrections" not in err and ".recover" in err


def test_a_file_exported_by_the_first_schema_is_imported_and_migrated(
    data: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    old = tmp_path / "schema1.json"
    correction = [
        1,
        "rename",
        "actor",
        "labour",
        "Labour",
        "Old Labour",
        None,
        None,
        "2025-01-01",
    ]
    old.write_text(
        json.dumps(
            {
                "format": FORMAT,
                "schema": 1,
                "tables": {
                    "correction": {
                        "columns": [
                            "id",
                            "action",
                            "field",
                            "key",
                            "name",
                            "value",
                            "target_field",
                            "target_key",
                            "made",
                        ],
                        "rows": [correction],
                    },
                    "meta": {"columns": ["name", "value"], "rows": [["changes", 7]]},
                },
            }
        )
    )
    run(data, capsys, "note", "set", article_id(data, capsys, "One"), "--so-what", "replaced")
    code, _, err = run(data, capsys, "state", "import", str(old))
    assert code == 0, err
    code, out, _ = run(data, capsys, "entity", "corrections", "--json")
    assert [c["value"] for c in json.loads(out)] == ["Old Labour"]
    assert json.loads(run(data, capsys, "note", "list", "--json")[1]) == []
    code, out, _ = run(data, capsys, "search", 'actor:"Old Labour"', "--json")
    assert json.loads(out)["total"] == 2  # the correction applies at once (the cache follows)


WRITER = """
import sys
from search.notes import set_note
from search.store import Store
store = Store.open(sys.argv[1])
n = 0
while True:
    n += 1
    set_note(store, f"article{n}", so_what=f"so what {n}", body="x" * 2000)
    print(n, flush=True)
"""


def test_a_kill_9_while_writing_notes_keeps_every_note_whose_write_returned(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for _round in range(3):
        with subprocess.Popen(
            [sys.executable, "-c", WRITER, str(data)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=PROJECT,
            env={**os.environ, "PYTHONPATH": str(PROJECT)},
        ) as process:
            assert process.stdout is not None
            done = 0
            deadline = time.monotonic() + 30
            while done < 50 + 40 * _round and time.monotonic() < deadline:
                done = int(process.stdout.readline())
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            # Whatever it printed after: a write returned before the kill.
            done = max([done, *(int(line) for line in process.stdout.read().split())])
        assert done >= 50
        store = Store.open(data)
        with store.reading() as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            kept = {row[0] for row in db.execute("SELECT article_id FROM note")}
        store.close()
        assert {f"article{n}" for n in range(1, done + 1)} <= kept
