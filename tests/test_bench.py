"""Smoke test: the benchmark runs end to end with one synthetic story (no timing assertions; numbers are for people)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

from benchmarks.bench import TABLE_END, TABLE_START, TARGETS, make_projects, write_table
from frisaettelse.pipeline import build_index


def test_synthetic_stories_are_valid_and_varied(tmp_path: Path) -> None:
    ours, plain = make_projects(tmp_path, 20)
    index = build_index(ours)
    real = len(list((ROOT / "cases").glob("*.md")))
    assert index.problems == []
    assert len(index.stories) == 20 + real
    assert len({s.area for s in index.stories.values()}) >= 5
    assert {s.freed_from_kind for s in index.stories.values()} >= {"statslig regel", "kommunal regel", "lokal vane"}
    pages = len(list((ROOT / "docs" / "historier").glob("*.md")))  # overview, register, coverage, tags
    assert len(list((plain / "docs" / "historier").glob("*.md"))) == 20 + real + pages
    assert "hooks" not in (plain / "mkdocs.yml").read_text() and "macros" not in (plain / "mkdocs.yml").read_text()
    # Our copy is a git repository with every file committed, as in CI: the dates cost what they cost there.
    status = subprocess.run(["git", "status", "--porcelain"], cwd=ours, capture_output=True, text=True, check=True)
    assert status.stdout == ""
    logged = subprocess.run(
        ["git", "log", "--name-only", "--format=", "--", "cases"], cwd=ours, capture_output=True, text=True, check=True
    ).stdout.split()
    assert len(logged) == 20 + real


@pytest.mark.langsom
def test_benchmark_prints_every_figure_with_one_synthetic_story(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.bench",
            "--sizes",
            "1",
            "--repeat",
            "1",
            "--json",
            str(tmp_path / "r.json"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    header = next(line for line in result.stdout.splitlines() if line.startswith("| historier |"))
    rows = [line for line in result.stdout.splitlines() if line.startswith("| 1 |")]
    assert len(rows) == 1
    cells = [c.strip() for c in rows[0].strip("|").split("|")]
    assert len(cells) == len(header.strip("|").split("|")) == 15
    assert all(c not in ("", "–", "0,00", "0,0", "0") for c in cells), cells
    (row,) = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    # A story page in Chromium downloads at least its own HTML, and far less than the whole site.
    assert row["largest_story_kb"] * 0.5 < row["story_download_kb"] < row["output_mb"] * 1000
    assert "historiesiden hentede" in result.stdout


def test_the_page_gets_danish_tables_with_machine_date_and_targets(tmp_path: Path) -> None:
    page = tmp_path / "hastighed.md"
    page.write_text(f"# Før\n\n{TABLE_START}\ngammel tabel\n{TABLE_END}\n\nEfter.\n", encoding="utf-8")
    base = {
        "first_s": 30.0,
        "first_cached_s": 12.0,
        "first_cached_ratio": 1.2,
        "plain_s": 10.0,
        "peak_rss_mb": 120.0,
        "output_mb": 111.0,
        "largest_story_kb": 45.5,
        "largest_listing_kb": 130.0,
        "search_index_kb": 1400.0,
        "search_per_story_kb": 1.4,
        "story_download_kb": 350.0,
        "preview_s": 1.2,
    }
    rows = [
        {**base, "n": 1000, "ours_s": 14.0, "ratio": 1.4, "first_ratio": 3.0},
        {**base, "n": 5000, "ours_s": 80.0, "ratio": 1.6, "first_ratio": 2.0, "story_download_kb": 351.0},
    ]
    write_table(page, rows, when=dt.date(2026, 11, 25))
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# Før\n\n" + TABLE_START) and text.endswith(TABLE_END + "\n\nEfter.\n")
    assert "gammel tabel" not in text
    assert "Målt 2026-11-25 på en maskine med" in text and "kerner" in text
    assert "| 1.000 | 30,0 | 12,0 | 14,0 | 10,0 | 1,40 | 3,00 | 1,20 | 120 | 111,0 |" in text
    assert "| 5.000 | 45,5 | 130,0 | 351 | 1,40 | 1,20 |" in text
    statuses = {
        target.text: next(line for line in text.splitlines() if line.startswith(f"| {target.text} | "))[
            len(target.text) + 5 : -2
        ]
        for target in TARGETS
    }
    assert statuses[TARGETS[0].text] == "ikke nået: 1,40 gange ved 1.000; 1,60 gange ved 5.000"
    assert statuses[TARGETS[1].text] == "ikke nået: 3,00 gange ved 1.000; 2,00 gange ved 5.000"
    assert statuses[TARGETS[2].text] == "nået: 1,20 gange ved 1.000; 1,20 gange ved 5.000"
    assert statuses[TARGETS[3].text] == "ikke nået: 5,71"  # 80 / 14
    assert statuses[TARGETS[5].text] == "nået: 350 KB ved 1.000; 351 KB ved 5.000"
    assert statuses[TARGETS[6].text] == "nået: 1,40 KB ved 1.000; 1,40 KB ved 5.000"
    write_table(page, rows[:1])  # a run without 5,000 stories says so rather than guessing
    assert "| Byggetid ved 5.000 ÷ byggetid ved 1.000 højst 5,0 | ikke målt |" in page.read_text(encoding="utf-8")
