"""`briefing entities`, `briefing entity …` and `briefing figure hide`: output, JSON, messages, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from libraries import run, without_seeds
from test_entities import (
    damage,
    extract_with_wales,
    write_wales_library,
)

import main
import search.index


def test_entities_lists_the_library_merged(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(data, capsys, "entities")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["articles", "kind", "name"]
    assert "       2  organization  Labour Party  (also: Labour)" in lines
    assert "       1  person        Ed Miliband" in lines
    code, out, _ = run(data, capsys, "entities", "--json")
    entities = {e["name"]: e for e in json.loads(out)}
    assert entities["Daily Telegraph"] == {
        "name": "Daily Telegraph",
        "kind": "organization",
        "key": "daily telegraph",
        "articles": 2,
        "variants": ["Daily Telegraph", "Telegraph"],
        "hidden": False,
    }
    assert entities["Nara"]["kind"] == "place"


def test_rename_shows_in_search_json_facets_and_undo_restores(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(data, capsys, "entity", "rename", "Labour", "UK Labour")
    assert code == 0
    assert out.startswith('rename "Labour" to "UK Labour" (correction 1;')
    code, out, _ = run(data, capsys, "search", 'actor:"UK Labour"', "--json")
    result = json.loads(out)
    assert result["total"] == 2
    assert {"value": "UK Labour", "count": 2} in result["facets"]["actor"]
    code, out, _ = run(data, capsys, "entity", "corrections")
    assert code == 0 and 'rename "Labour" to "UK Labour"' in out and out.lstrip().startswith("1")
    code, out, _ = run(data, capsys, "entity", "undo")
    assert (code, out) == (0, 'undid: rename "Labour" to "UK Labour"\n')
    code, out, _ = run(data, capsys, "entity", "corrections", "--json")
    assert json.loads(out) == []
    code, _, err = run(data, capsys, "entity", "undo")
    assert code == 1 and "no corrections to undo" in err


def test_merge_hide_kind_and_their_listing(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(data, capsys, "entity", "merge", "Ed Miliband", "David Miliband")[0] == 0
    assert run(data, capsys, "entity", "hide", "Tom Lee")[0] == 0
    assert run(data, capsys, "entity", "kind", "Jordan", "place")[0] == 0
    code, out, _ = run(data, capsys, "entities", "--json")
    entities = {e["name"]: e for e in json.loads(out)}
    assert entities["David Miliband"]["articles"] == 2
    assert entities["David Miliband"]["variants"] == ["David Miliband", "Ed Miliband"]
    assert "Tom Lee" not in entities and entities["Jordan"]["kind"] == "place"
    _, out, _ = run(data, capsys, "entities", "--hidden")
    assert "Tom Lee  [hidden]" in out
    _, out, _ = run(data, capsys, "entity", "corrections", "--json")
    listed = json.loads(out)
    assert [c["action"] for c in listed] == ["merge", "hide", "kind"]
    assert listed[0]["target_key"] == "david miliband"
    # Undo by id takes back that one only.
    assert run(data, capsys, "entity", "undo", "2")[1] == 'undid: hide "Tom Lee"\n'
    code, _, err = run(data, capsys, "entity", "undo", "2")
    assert code == 2 and "no correction with id 2" in err


def test_unknown_names_exit_2_with_a_suggestion(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(data, capsys, "entity", "hide", "Ed Milliband")
    assert (code, out) == (2, "")
    assert err.strip() == (
        'briefing entity hide: no actor or place named "Ed Milliband" in the library; '
        'did you mean "Ed Miliband"?'
    )
    code, _, err = run(data, capsys, "entity", "merge", "Labour", "Nobody At All")
    assert code == 2 and '"Nobody At All"' in err
    code, _, err = run(data, capsys, "entity", "merge", "Labour", "Labour Party")
    assert code == 2 and "already one entity" in err
    with pytest.raises(SystemExit) as exited:
        main.main(["--data-dir", str(data), "entity", "kind", "Labour", "animal"])
    assert exited.value.code == 2  # argparse names the kinds


def test_figure_hide(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(data, capsys, "search", "seats", "--json")
    article_id = json.loads(out)["hits"][0]["id"]
    code, out, _ = run(data, capsys, "figure", "hide", article_id, "42")
    assert code == 0 and out.startswith(f'hide figure "42" in article {article_id}')
    code, _, err = run(data, capsys, "figure", "hide", article_id, "42%")
    assert code == 2 and 'has no figure "42%"' in err
    code, _, err = run(data, capsys, "figure", "hide", "000000000000", "42")
    assert code == 2 and "no article with id '000000000000'" in err


def test_a_damaged_store_leaves_search_and_entities_working(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(data, capsys, "entity", "rename", "Labour", "UK Labour")[0] == 0
    assert run(data, capsys, "entity", "hide", "Tom Lee")[0] == 0
    damage(data / "briefing.sqlite3")
    code, out, err = run(data, capsys, "search", 'actor:"Labour Party"', "--json")
    assert code == 0 and json.loads(out)["total"] == 2
    assert "corrections are not applied" in err and "is damaged" in err
    assert "Traceback" not in err
    code, out, err = run(data, capsys, "entities")
    assert code == 0 and "Tom Lee" in out and "is damaged" in err
    code, _, err = run(data, capsys, "entity", "corrections")
    assert code == 1 and "briefing.sqlite3 is damaged" in err


def test_actor_and_place_prefixes_pick_one_of_two_same_named_entities(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(search.index, "_spacy_extractor", lambda processes: extract_with_wales)
    data = without_seeds(tmp_path / "data")
    lib = write_wales_library(tmp_path / "lib")
    assert main.main(["--data-dir", str(data), "index", str(lib), "--progress", "none"]) == 0
    code, out, _ = run(data, capsys, "entity", "hide", "actor:Wales")
    assert code == 0 and out.startswith('hide "Wales"')
    _, out, _ = run(data, capsys, "search", "*", "--json")
    result = json.loads(out)["facets"]
    assert "Wales" not in [f["value"] for f in result["actor"]]
    assert {"value": "Wales", "count": 2} in result["place"]
    code, _, err = run(data, capsys, "entity", "kind", "place:Ed Miliband", "place")
    assert code == 2 and 'no place named "Ed Miliband"' in err
