"""Smoke test: the benchmark runs end to end at N = 20 (no timing assertions; numbers are for people)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import ROOT

from benchmarks.bench import make_projects
from frisaettelse.index import build_index


def test_synthetic_stories_are_valid_and_varied(tmp_path: Path) -> None:
    ours, plain = make_projects(tmp_path, 60)
    index = build_index(ours)
    real = len(list((ROOT / "cases").glob("*.md")))
    assert index.problems == []
    assert len(index.stories) == 60 + real
    assert len({s.area for s in index.stories.values()}) >= 5
    assert {s.freed_from_kind for s in index.stories.values()} >= {"statslig regel", "kommunal regel", "lokal vane"}
    pages = len(list((ROOT / "docs" / "historier").glob("*.md")))  # overview, register, coverage, tags
    assert len(list((plain / "docs" / "historier").glob("*.md"))) == 60 + real + pages
    assert "hooks" not in (plain / "mkdocs.yml").read_text() and "macros" not in (plain / "mkdocs.yml").read_text()


def test_benchmark_prints_the_table_at_n_20(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "benchmarks.bench", "--sizes", "20", "--repeat", "1",
                             "--json", str(tmp_path / "r.json")], cwd=ROOT, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("| 20 |")]
    assert len(rows) == 1
    cells = [c.strip() for c in rows[0].strip("|").split("|")]
    assert len(cells) == 11 and all(c not in ("", "0.00") for c in cells)
