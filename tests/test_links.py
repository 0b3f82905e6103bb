"""Links from a story to the site (FM031): check refuses what the strict build refuses, with file and line, and
lets through what the build lets through."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import make_site, mkdocs_build

from frisaettelse import pipeline

BROKEN = {  # file -> what the message says
    "side-findes-ikke": "Linket '../findes-ikke.md' peger på en side, der ikke findes.",
    "afsnit-findes-ikke": "Linket '../aftalen/index.md#findes-ikke' peger på et afsnit (#findes-ikke), som siden "
    "ikke har.",
    "fra-roden": "Linket '/aftalen/' peger på en adresse fra sitets rod",
    "fil-findes-ikke": "Linket 'billede.png' peger på en fil, der ikke findes",
    "uden-for-sitet": "Linket '../../../etc/passwd' peger uden for sitet.",
    "mappe-link": "Linket '../aftalen/' peger på en fil, der ikke findes",
}


def test_every_broken_link_is_named_with_file_line_and_fix(tmp_path: Path) -> None:
    site = make_site(tmp_path, "links_broken", keep_cases=True)
    problems = pipeline.run(site, site_url="https://x/").problems
    found = {p.path: p for p in problems}
    assert {p.code for p in problems} == {"FM031"}
    assert set(found) == {f"cases/{name}.md" for name in BROKEN}
    for name, message in BROKEN.items():
        problem = found[f"cases/{name}.md"]
        assert problem.line == 19 and problem.message.startswith(message), problem
        assert "https://" in problem.hint


def test_check_and_the_strict_build_agree_on_links(tmp_path: Path) -> None:
    for fixture, ok in (("links_ok", True), ("links_broken", False)):
        site = make_site(tmp_path / fixture, fixture, keep_cases=True)
        checked = subprocess.run(
            [sys.executable, "-m", "frisaettelse", "tjek"], cwd=site, capture_output=True, text=True
        )
        built = mkdocs_build(site, tmp_path / fixture / "out")
        assert (checked.returncode == 0) is ok, checked.stdout
        assert (built.returncode == 0) is ok, built.stderr[-2000:]
        if not ok:
            for name in BROKEN:  # the build stops in on_config with the same lines check prints
                assert f"cases/{name}.md:19: FM031" in checked.stdout and f"cases/{name}.md:19: FM031" in built.stderr
