"""Long texts: read in pieces with offsets that hold, merged back into one extraction, in bounded memory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from search.extract import extract_texts
from search.extract import pipeline as extract_pipeline
from search.extract.pieces import merge_extractions, split_spans
from search.models import Actor, Extraction, Figure, Place, Span

ROOT = Path(__file__).resolve().parent.parent


def test_pieces_cover_the_text_within_the_limit_and_end_at_paragraphs() -> None:
    paragraph = "Anna Berg spoke in Oslo. She said the plan was ready.\n\n"
    text = paragraph * 40
    spans = split_spans(text, 500)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a_end == b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False))
    assert all(end - start <= 500 for start, end in spans)
    assert all(text[:end].endswith("\n\n") for _, end in spans)


def test_a_text_without_breaks_is_cut_at_the_limit() -> None:
    assert split_spans("x" * 25, 10) == [(0, 10), (10, 20), (20, 25)]
    assert split_spans("", 10) == [(0, 0)]
    with pytest.raises(ValueError):
        split_spans("abc", 1)


def test_entities_in_later_pieces_point_at_the_original_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(extract_pipeline, "PIECE_CHARS", 300)
    monkeypatch.setattr(extract_pipeline, "SECTION_CHARS", 1_000)
    paragraphs = [
        f"Officials in Madrid said on Tuesday that {n} new homes would be built. "
        f"Maria Lopez, the housing minister, visited Valencia to open the first {n} of them."
        for n in (120, 240, 360, 480, 600, 720, 840, 960)
    ]
    text = "\n\n".join(paragraphs)
    assert len(text) > 4 * 300
    whole, after = list(extract_texts([text, "Anna Berg visited Oslo on Monday."]))
    assert whole.language == "en"
    assert "Anna Berg" in [a.name for a in after.actors]  # one extraction per text, in order
    lopez = next(a for a in whole.actors if a.name == "Maria Lopez")
    # One actor for all eight sections' mentions, each pointing at the name in the original text.
    assert len(lopez.mentions) == 8
    assert {text[m.start : m.end] for m in lopez.mentions} == {"Maria Lopez"}
    assert max(m.start for m in lopez.mentions) > 1_000
    for place in whole.places:
        assert {text[m.start : m.end] for m in place.mentions} == {place.name}
    madrid = next(p for p in whole.places if p.name == "Madrid")
    assert (len(madrid.mentions), madrid.country) == (8, "ES")
    for figure in whole.figures:
        assert text[figure.start : figure.end] == figure.text
    assert any(f.start > 1_000 for f in whole.figures)
    assert sorted(f.rank for f in whole.figures) == list(range(1, len(whole.figures) + 1))


def test_merged_parts_keep_one_actor_per_name_with_shifted_mentions() -> None:
    first = Extraction(
        actors=[Actor("Anna Berg", "person", "minister", [Span(0, 9)])],
        places=[Place("Oslo", "NO", [Span(20, 24)])],
        figures=[Figure("5", "count", "homes", 30, 31, 1)],
    )
    second = Extraction(
        actors=[Actor("Anna Berg", "person", None, [Span(5, 14)]), Actor("Lars", "person")],
        places=[Place("Oslo", None, [Span(1, 5)])],
        figures=[Figure("7", "count", "roads", 2, 3, 1)],
    )
    merged = merge_extractions([(0, first), (100, second)])
    berg = merged.actors[0]
    assert (berg.name, berg.role, berg.mentions) == (
        "Anna Berg",
        "minister",
        [Span(0, 9), Span(105, 114)],
    )
    assert merged.places == [Place("Oslo", "NO", [Span(20, 24), Span(101, 105)])]
    assert [(f.text, f.start, f.rank) for f in merged.figures] == [("5", 30, 1), ("7", 102, 2)]


def test_merged_parts_rank_every_key_figure_before_any_minor_one() -> None:
    first = Extraction(
        figures=[
            Figure("5", "count", "homes", 30, 31, 1),
            Figure("Monday", "date", "", 40, 46, 2, minor=True),
        ]
    )
    second = Extraction(
        figures=[
            Figure("$7m", "money", "roads", 2, 5, 1),
            Figure("9", "count", "bridges", 9, 10, 2),
        ]
    )
    merged = merge_extractions([(0, first), (100, second)])
    by_rank = [f.text for f in sorted(merged.figures, key=lambda f: f.rank)]
    assert by_rank == ["5", "$7m", "9", "Monday"]


# A stand-in for the model whose memory grows with the length of the text it reads, as the real
# one's does (about 3 KB a character; this one a tenth of that), and that tags names by pattern.
# Reading a 4 MB text whole would take it past 1 GB; in pieces it stays near its start.
MEMORY_PROBE = r"""
import json, random, sys
import numpy as np
import spacy
from spacy.language import Language
from search.extract import extract_texts, pipeline

@Language.component("memory_like_ner")
def memory_like_ner(doc):
    np.ones(len(doc.text) * 75, dtype=np.float32)  # 300 bytes a character, touched
    return doc

def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024

nlp = spacy.blank("en")
names = ["Maria Lopez", "John Carter", "Aiko Tanaka", "Samuel Okafor", "Ingrid Berg"]
places = ["Madrid", "Lagos", "Osaka", "Bergen", "Denver"]
nlp.add_pipe("entity_ruler").add_patterns(
    [{"label": "PERSON", "pattern": n} for n in names]
    + [{"label": "GPE", "pattern": p} for p in places]
)
nlp.add_pipe("memory_like_ner")
pipeline._models[pipeline.MODEL_NAME] = nlp
rng = random.Random(7)
verbs = ["visited", "left", "praised", "criticised", "opened a school in"]
sentences = []
size = 0
while size < 4_000_000:
    s = (f"{rng.choice(names)} {rng.choice(verbs)} {rng.choice(places)} on day {rng.randint(1, 999)}, "
         f"where {rng.randint(2, 9000)} people waited. ")
    if rng.random() < 0.2:
        s += "\n\n"
    sentences.append(s)
    size += len(s)
text = "".join(sentences)
list(extract_texts(["Maria Lopez visited Madrid."]))  # imports and first use, outside the measure
before = peak_mb()
extraction, = extract_texts([text])
print(json.dumps({
    "chars": len(text), "before_mb": before, "peak_mb": peak_mb(),
    "actors": sorted(a.name for a in extraction.actors),
    "mentions": sum(a.count for a in extraction.actors),
    "last_mention": max(m.end for a in extraction.actors for m in a.mentions),
}))
"""


def test_a_long_text_is_extracted_in_bounded_memory() -> None:
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["chars"] >= 4_000_000
    # Everything was read: the names of the last piece are there, where the text has them.
    assert figures["actors"] == sorted(
        ["Maria Lopez", "John Carter", "Aiko Tanaka", "Samuel Okafor", "Ingrid Berg"]
    )
    assert figures["last_mention"] > figures["chars"] - 200
    # The text itself is 4 MB (plus 16 MB as the rules' UCS-4 copies can be); whole, the stand-in
    # alone would take 1.2 GB more.
    assert figures["peak_mb"] - figures["before_mb"] < 400, figures


def test_merged_parts_fold_a_name_and_a_figure_written_again_in_a_later_part() -> None:
    first = Extraction(
        actors=[
            Actor("Boris Johnson", "person", "Prime Minister", [Span(0, 13)]),
            Actor("Acme Corp", "organization", None, [Span(20, 29)]),
        ],
        figures=[Figure("$3bn", "money", "deal", 40, 44, 1)],
    )
    second = Extraction(
        actors=[
            Actor("Johnson", "person", None, [Span(5, 12)]),
            Actor("Acme Corp.", "organization", None, [Span(30, 40)]),
        ],
        figures=[
            Figure("$3bn", "money", "deal", 2, 6, 1),
            Figure("40", "count", "jobs", 8, 10, 2),
        ],
    )
    merged = merge_extractions([(0, first), (100, second)])
    names = {(a.name, a.role, len(a.mentions)) for a in merged.actors}
    assert names == {("Boris Johnson", "Prime Minister", 2), ("Acme Corp.", None, 2)}
    again = next(f for f in merged.figures if f.start == 102)
    assert again.minor and again.rank == len(merged.figures)
