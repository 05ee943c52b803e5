"""The Recoll benchmark's pure helpers: process trees, /proc fields, spreads, rotation, query translation, the .txt files."""

from __future__ import annotations

from pathlib import Path

from benchmarks import recoll
from benchmarks.bench_recoll import (
    paired_order,
    spread,
    summary_rows,
)
from benchmarks.corpus import Record
from benchmarks.queries import BenchQuery
from search.readers.plain import parse_plain_text

RECORDS = [
    Record(
        "b001.md",
        f"Headline number {i}",
        "2004-01-02",
        "business",
        f"Shares rose {i} points.\n\nThe bank said profits were up.",
    )
    for i in range(40)
]


def test_the_tree_sampler_counts_a_child_the_command_starts() -> None:
    """measured_run's memory is the whole tree's: a child holding 60 MB shows in the sum and has
    its own peak beside the main process's."""
    import subprocess
    import sys
    import time

    from benchmarks.procmem import TreeSampler

    script = (
        "import subprocess, sys; subprocess.run([sys.executable, '-c', "
        "'import time; b = bytearray(60 * 2**20); time.sleep(1.0)'])"
    )
    parent = subprocess.Popen([sys.executable, "-c", script])
    sampler = TreeSampler(parent.pid)
    sampler.start()
    parent.wait()
    time.sleep(0.1)
    memory = sampler.stop()
    assert sampler.samples > 5
    assert memory.processes_peak == 2
    assert memory.rss_sum_peak_mb > 60
    assert max(list(memory.hwm_mb.values())[1:]) > 60 > list(memory.hwm_mb.values())[0]


def test_spread_gives_median_and_range() -> None:
    assert spread([3.0, 1.0, 2.0, 10.0, 4.0]) == {"median": 3.0, "min": 1.0, "max": 10.0}
    assert spread(x / 3 for x in (1, 2)) == {"median": 0.5, "min": 0.33, "max": 0.67}


def test_paired_order_puts_each_side_first_equally_often() -> None:
    sides = ["ours", "recoll", "cli"]
    orders = [paired_order(i, sides) for i in range(6)]
    assert all(sorted(o) == sorted(sides) for o in orders)
    firsts = [o[0] for o in orders]
    assert all(firsts.count(s) == 2 for s in sides)


def test_recoll_query_keeps_what_it_can_ask_and_drops_the_rest() -> None:
    mix = [
        BenchQuery("term", "bank", "bank"),
        BenchQuery("and2", "bank AND shares", "bank AND shares"),
        BenchQuery("phrase", '"interest rates"', '"interest rates"'),
        BenchQuery("prefix", "profi*", "profi*"),
        BenchQuery("title", "title:bank", "title:bank"),
        BenchQuery("date", "bank AND date:[2004-01-01 TO 2004-02-01]", "bank", "2004-01-01"),
        BenchQuery("facet", "bank AND source:BBC", "bank", source="BBC"),
    ]
    asked = {q.kind: recoll.recoll_query(q) for q in mix}
    assert asked["and2"] == "bank AND shares" and asked["prefix"] == "profi*"
    assert asked["phrase"] == '"interest rates"'
    assert {kind for kind, text in asked.items() if text is None} == set(recoll.UNTRANSLATABLE)


def test_text_file_reads_back_as_the_same_title_and_body_in_our_reader() -> None:
    record = RECORDS[3]
    fields = parse_plain_text(recoll.text_file(record))
    assert fields["title"] == record.title
    assert fields["body"].strip() == record.body


def test_config_indexes_only_the_given_folder(tmp_path: Path) -> None:
    confdir = recoll.make_config(tmp_path / "conf", tmp_path / "articles")
    lines = (confdir / "recoll.conf").read_text().splitlines()
    assert f"topdirs = {tmp_path / 'articles'}" in lines
    assert "indexstemminglanguages = english" in lines
    assert recoll.index_command(confdir)[-3:] == ["-c", str(confdir), "-z"]
    assert recoll.query_command(confdir, "bank")[-1] == "bank"


def test_summary_rows_carry_the_figures_they_are_given() -> None:
    s = {"median": 2.5, "min": 2.0, "max": 3.0}
    side = {"runs": 3, "seconds": s, "size_mb": s, "peak_rss_sum_mb": s, "main_vmhwm_mb": s}
    figures = {
        "articles": 2225,
        "index": {
            "ours_no_extraction": side,
            "recoll": side,
            "ours_spacy_2_processes": {**side, "runs": 1},
            "time_ratio_no_extraction": {"median": 4.75, "min": 4.5, "max": 5.25},
            "cpu_ratio_no_extraction": s,
            "size_ratio_no_extraction": s,
        },
        "query": {
            "queries": 180,
            "reps": 5,
            **{k: s for k in ("ours_p50_ms", "ours_p95_ms", "recoll_p50_ms", "recoll_p95_ms")},
            "ratio_p50": s,
            "ratio_p95": s,
        },
        "cli": {
            "calls_each": 40,
            "briefing": {"p50_ms": 244.0, "p95_ms": 300.0},
            "briefing_json": {"p50_ms": 250.0, "p95_ms": 310.0},
            "recollq": {"p50_ms": 18.0, "p95_ms": 25.0},
            "ratio_p50_briefing_vs_recollq": s,
            "briefing_20k": {"p50_ms": 260.0, "p95_ms": 330.0, "p50_ms_per_rep": s},
        },
    }
    rows = summary_rows(figures)
    assert len(rows) == 5 and all(len(row) == 4 for row in rows)
    assert "4.75× (4.5–5.25)" in rows[0][2]
    assert "244.0 ms" in rows[3][1] and "18.0 ms" in rows[3][2]
    # Each call in its own process: the 100 ms goal is bench_cli's, with `briefing serve` running.
    assert "--no-server" in rows[4][0] and "20,000 articles" in rows[4][0] and rows[4][3] == ""
    figures["index"]["ours_spacy_2_processes"] = {}
    del figures["cli"]["briefing_20k"]
    assert len(summary_rows(figures)) == 3
