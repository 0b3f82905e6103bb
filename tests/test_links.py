"""Links from a story to the site (FM031): check refuses what the strict build refuses, with file and line, and
lets through what the build lets through."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import FIXTURES, ROOT, make_site, mkdocs_build

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
        if ok:  # and every section link check accepts (ANCHORS below) is one the strict build accepts
            add_anchor_stories(site, broken=False)
        checked = subprocess.run(
            [sys.executable, "-m", "frisaettelse", "tjek"], cwd=site, capture_output=True, text=True
        )
        built = mkdocs_build(site, tmp_path / fixture / "out")
        assert (checked.returncode == 0) is ok, checked.stdout
        assert (built.returncode == 0) is ok, built.stderr[-2000:]
        if not ok:
            for name in BROKEN:  # the build stops in on_config with the same lines check prints
                assert f"cases/{name}.md:19: FM031" in checked.stdout and f"cases/{name}.md:19: FM031" in built.stderr


# --- Anchors: the ids the built page has (one conversion with the site's Markdown settings, macros run) ----------

TARGET = "Mål for året\n============\n\n## Plan\n\n## Plan\n"  # a story with a setext heading and a repeated one
ANCHORS = [  # (lines added to a valid story from line 21, the line of FM031 or None)
    ("[koden](../bidrag/felter-og-fejlkoder.md#fm003)", None),  # the guide's ids come from a macro and attr_list
    ("[koden](../bidrag/felter-og-fejlkoder.md#fm015)", None),
    ("[koden](../bidrag/felter-og-fejlkoder.md#fm999)", 21),
    ("[målet](maal.md#maal-for-aaret)", None),  # a setext heading of another story
    ("[planen](maal.md#plan_1)", None),  # its repeated heading
    ("[planen](maal.md#plan_2)", 21),
    ("[historien](#historien)", None),  # the story page's own generated heading
    ("Afsnit\n------\n\n[her](#afsnit)", None),
    ("## Noget { #mit-id }\n\n[her](#mit-id)", None),
    ("## Noget { #mit-id }\n\n[her](#noget)", 23),
    ('<h2 id="raa-html">Rå</h2>\n\n[her](#raa-html)', None),  # an id in raw HTML counts, as MkDocs counts it
    ("<div>\n\n## Inde i html\n\n</div>\n\n[her](#inde-i-html)", 27),  # a heading Markdown never sees: no id
    ("[princippet](../principper/kerneopgaven.md#historier)", None),  # added to a concept page by the plugin
    ("[her](#findes-ikke)", 21),
]


def add_anchor_stories(site: Path, *, broken: bool = True) -> None:
    """The story each link points to, and one story per row of ANCHORS (the rows that fail only if `broken`)."""
    valid = (FIXTURES / "valid" / "cases" / "fri-fra-skemaet.md").read_text("utf-8")
    (site / "cases" / "maal.md").write_text(valid + TARGET, "utf-8")
    for number, (added, line) in enumerate(ANCHORS):
        if broken or line is None:
            (site / "cases" / f"anker-{number}.md").write_text(valid + added + "\n", "utf-8")


def test_section_links_are_checked_against_the_ids_the_page_gets(tmp_path: Path) -> None:
    site = make_site(tmp_path, "valid", keep_cases=True)
    add_anchor_stories(site)
    problems = pipeline.run(site, site_url="https://x/").problems
    found = {(p.path, p.line) for p in problems}
    assert {p.code for p in problems} <= {"FM031"}
    expected = {(f"cases/anker-{n}.md", line) for n, (_, line) in enumerate(ANCHORS) if line is not None}
    assert found == expected


def test_check_converts_with_the_markdown_settings_mkdocs_uses() -> None:
    """`check` reads mkdocs.yml itself; the build hands over MkDocs' own reading: both must be the same."""
    from mkdocs.config import load_config

    from frisaettelse.markup import site_markdown

    config = load_config(str(ROOT / "mkdocs.yml"))
    assert site_markdown(ROOT / "mkdocs.yml") == (list(config.markdown_extensions), dict(config.mdx_configs))
