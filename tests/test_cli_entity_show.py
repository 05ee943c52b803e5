"""`briefing entity show NAME [--json]` on the seed library, extracted by the real model: the
issue's done-when ("lists his articles by date, his role, and co-occurring actors")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from libraries import run


def test_lee_jae_myung_has_his_articles_by_date_his_role_and_who_he_meets(
    seed_index: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(seed_index, capsys, "entity", "show", "Lee Jae Myung", "--json")
    assert code == 0
    page = json.loads(out)
    assert (page["name"], page["facet"], page["kind"]) == ("Lee Jae Myung", "actor", "person")
    articles = page["articles"]
    assert any(a["title"].startswith("Takaichi hosts Lee Jae Myung") for a in articles)
    dated = [a["date"] for a in articles if a["date"]]
    assert dated == sorted(dated)
    assert all(a["date"] is None for a in articles[len(dated) :])  # undated ones last
    assert "President" in {role["role"] for role in page["roles"]}
    assert all(len(role["dates"]) == len(role["article_ids"]) for role in page["roles"])
    actors = [actor["name"] for actor in page["actors"]]
    assert "Sanae Takaichi" in actors and "Lee Jae Myung" not in actors
    assert {"Nara", "Japan"} <= {place["name"] for place in page["places"]}


def test_the_page_as_text_and_a_name_no_article_uses(
    seed_index: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(seed_index, capsys, "entity", "show", "Lee Jae Myung")
    assert code == 0
    assert out.startswith("Lee Jae Myung — person, ")
    assert "  President — " in out and "Sanae Takaichi (" in out
    code, out, err = run(seed_index, capsys, "entity", "show", "Lee Jae Myeong")
    assert (code, out) == (2, "")
    assert 'did you mean "Lee Jae Myung"?' in err
