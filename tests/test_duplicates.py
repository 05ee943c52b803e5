"""Copies of one story (the .html and .md of an article, a wire copy) are one result that lists
the others; different stories on one subject are not folded."""

from __future__ import annotations

import json
from pathlib import Path

from search.duplicates import copy_groups, signature, similarity
from search.index import ArticleIndex
from search.models import Actor, Extraction

ROOT = Path(__file__).resolve().parent.parent

STORY = (
    "The harbour council approved the new bridge on Tuesday after a debate that lasted "
    "eleven hours. Ines Duarte, who chairs the transport committee, said the crossing would "
    "cut the ferry queue in half and carry twelve thousand cars a day by 2028. Opponents said "
    "the cost, put at 340 million euros, would fall on residents through higher port fees. "
    "The vote was 31 to 12. Work is due to begin in the spring, once the river authority has "
    "signed off the plans for the southern pier and the fishermen's cooperative has been paid "
    "for the loss of its moorings during the three years of building."
)
OTHER = (
    "The harbour council delayed a vote on the new bridge on Monday. Members asked for a "
    "second study of the traffic figures before they decide, and the transport committee "
    "will meet again next month. Fishermen protested outside the town hall about moorings, "
    "and the river authority said it had not yet seen the plans for the southern pier. "
    "The mayor said the bridge was still the council's first priority for the coming year."
)


def _no_extraction(texts):  # type: ignore[no-untyped-def]
    return [Extraction() for _ in texts]


def test_copies_are_similar_and_another_story_on_the_subject_is_not() -> None:
    saved_page = f"Bridge approved\n\nHome News Local Sport\n\n{STORY}\n\nShare this story Related"
    wire = "HARBOURTOWN (Wire) - " + STORY.replace("Tuesday", "Tuesday evening")
    assert similarity(signature(STORY), signature(saved_page)) >= 0.6
    assert similarity(signature(STORY), signature(wire)) >= 0.6
    assert similarity(signature(STORY), signature(OTHER)) < 0.3
    groups = copy_groups([("a", signature(STORY)), ("b", signature(OTHER)), ("c", signature(wire))])
    assert groups == [["a", "c"]]


def test_a_signature_holds_datasketchs_own_minhash_values() -> None:
    """Signatures already in an index were made by a plain MinHash: a faster one must agree."""
    from datasketch import MinHash

    from search.duplicates import PERMUTATIONS, SCHEME, SEED, SHINGLE_WORDS, WORD

    for text in (STORY, OTHER, STORY + " Ünïcode façade café, 2028."):
        words = WORD.findall(text.lower())
        shingles = {
            " ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)
        }
        plain = MinHash(num_perm=PERMUTATIONS, seed=SEED, scheme=SCHEME)
        plain.update_batch([s.encode("utf-8") for s in shingles])
        assert signature(text) == plain.hashvalues.astype("<u4").tobytes()
    assert signature("too short to be a copy of anything") == b""


def _library(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "bridge.md").write_text(f"# Bridge approved\n\n{STORY}\n", encoding="utf-8")
    paragraphs = "".join(f"<p>{s}.</p>" for s in STORY.split(". "))
    (lib / "bridge.html").write_text(
        "<html><head><title>Bridge approved after eleven hours</title></head><body>"
        "<nav>Home News Sport</nav><article><h1>Bridge approved after eleven hours</h1>"
        f"{paragraphs}</article><footer>Share this story</footer></body></html>",
        encoding="utf-8",
    )
    (lib / "delay.md").write_text(f"# Bridge vote delayed\n\n{OTHER}\n", encoding="utf-8")
    return lib


def _chair(texts):  # type: ignore[no-untyped-def]
    return [
        Extraction(actors=[Actor("Ines Duarte", "person")] if "Ines Duarte" in t else [])
        for t in texts
    ]


def test_a_search_shows_a_story_once_and_lists_its_copies(tmp_path: Path) -> None:
    lib = _library(tmp_path)
    index = ArticleIndex.open(tmp_path / "data")
    index.sync([lib], extractor=_chair)
    result = index.search("bridge")
    assert result.total == 2  # three files, two stories
    # The chair is named in both copies of one story: the facet counts the story once.
    assert dict(result.facets["actor"]) == {"Ines Duarte": 1}
    by_title = {hit.title: hit for hit in result.hits}
    assert len(result.hits) == 2
    copied = next(hit for hit in result.hits if hit.copies)
    assert Path(copied.path).name in ("bridge.md", "bridge.html")
    assert [Path(c.path).name for c in copied.copies] == [
        name for name in ("bridge.html", "bridge.md") if name != Path(copied.path).name
    ]
    assert not by_title["Bridge vote delayed"].copies
    # Each copy opens as itself.
    assert index.get(copied.copies[0].id) is not None
    # Paging folds the same way: the second page holds what the first did not.
    first, second = index.search("bridge", limit=1), index.search("bridge", limit=1, offset=1)
    assert {first.hits[0].id, second.hits[0].id} == {h.id for h in result.hits}


def test_editing_a_copy_apart_unfolds_it(tmp_path: Path) -> None:
    lib = _library(tmp_path)
    index = ArticleIndex.open(tmp_path / "data")
    index.sync([lib], extractor=_no_extraction)
    (lib / "bridge.html").write_text(
        "<html><body><h1>Schools budget</h1><p>The council set aside four million euros for "
        "new classrooms, a library and playgrounds, and said the bridge would wait.</p>"
        "<p>Teachers welcomed the plan but asked for more staff in the autumn term.</p>"
        "</body></html>",
        encoding="utf-8",
    )
    index.sync([lib], extractor=_no_extraction)
    result = index.search("bridge")
    assert result.total == 3 and not any(hit.copies for hit in result.hits)


def test_the_seed_library_has_no_copies(tmp_path: Path) -> None:
    index = ArticleIndex.open(tmp_path / "data")
    index.sync([ROOT / "seeds"], extractor=_no_extraction)
    note = json.loads((index.directory / "copies.json").read_text(encoding="utf-8"))
    assert note["groups"] == []
    assert index.search("*").total == index.count() == 25


def test_the_cli_names_the_other_copies(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import main

    lib = _library(tmp_path)
    index = ArticleIndex.open(tmp_path / "data")
    index.sync([lib], extractor=_no_extraction)
    index.close()
    assert main.main(["--data-dir", str(tmp_path / "data"), "search", "eleven hours"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 article match")
    also = out.split("   also in: ")[1].strip()
    assert also.endswith(("bridge.html", "bridge.md"))


def test_updating_groups_after_a_few_changes_agrees_with_grouping_afresh() -> None:
    from search.duplicates import updated_groups

    stories = {
        "a": STORY,
        "b": OTHER,
        "c": "HARBOURTOWN (Wire) - " + STORY,
        "d": OTHER.replace("Monday", "Friday"),
    }
    signatures = {key: signature(text) for key, text in stories.items()}
    before = copy_groups(signatures.items())
    assert before == [["a", "c"], ["b", "d"]]
    # "d" is rewritten into another story, "e" arrives as a copy of "a", "b" is deleted.
    signatures["d"] = signature(
        "The council set aside four million euros for new classrooms, a library and playgrounds "
        "in the east of the town, and said the teachers would be consulted on the plans before "
        "the summer. Parents welcomed the money but asked for more staff in the autumn term, "
        "when two schools are due to merge and pupil numbers are expected to rise again."
    )
    signatures["e"] = signature(STORY + " The mayor welcomed the vote.")
    del signatures["b"]
    updated = updated_groups(before, signatures, changed={"d", "e"})
    assert updated == copy_groups(signatures.items())
    assert ["a", "c", "e"] in updated
