"""Links from a story to the site (FM031): check refuses what the strict build refuses, with file and line, and
lets through what the build lets through. A section's anchor is checked against the ids the page gets: the page
converted once with the site's Markdown settings (docs pages with their macros run). One valid story plus one
changed line per row, in memory; the strict build refuses the same (a copy without git passes with the valid rows:
test_browse_build)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from helpers import FIXTURES, ROOT, make_site, mkdocs_build, parse_html, reported, run_check

from frisaettelse import pipeline

TARGET = "Mål for året\n============\n\n## Plan\n\n## Plan\n"  # a story with a setext heading and a repeated one
LINKS = [  # (lines added to a valid story from line 21, the line of FM031 or None, the start of its message)
    ("[koden](../bidrag/felter-og-fejlkoder.md#fm003)", None, ""),  # ids made by a macro and attr_list
    ("[koden](../bidrag/felter-og-fejlkoder.md#fm015)", None, ""),
    ("[registeret](fri-fra.md#statslig-regel)", None, ""),  # made by a macro that reads the stories
    ("[koden](../bidrag/felter-og-fejlkoder.md#fm999)", 21, "Linket '../bidrag/felter-og-fejlkoder.md#fm999' peger "),
    ("[målet](maal.md#maal-for-aaret)", None, ""),  # a setext heading of another story
    ("[planen](maal.md#plan_1)", None, ""),  # its repeated heading
    ("[planen](maal.md#plan_2)", 21, "Linket 'maal.md#plan_2' peger på et afsnit (#plan_2), som siden ikke har."),
    ("[historien](#historien)", None, ""),  # the story page's own generated heading
    # Headings and ids of the text never take the page's own: its heading "Historien" is historien_1, one with the
    # title's words leaves the title's id to it (the title's is fri-fra-skemaet_1), a set id is left out.
    ("## Historien\n\n## Fri fra skemaet\n\n[her](#historien_1) og [der](#fri-fra-skemaet)", None, ""),
    ('## Fakta { #fakta }\n\n<code id="historiens-adresse">https://ondt.example/</code>\n\n[her](#fakta)', None, ""),
    ("Afsnit\n------\n\n[her](#afsnit)", None, ""),
    ("## Noget { #mit-id }\n\n[her](#mit-id)", None, ""),
    ("## Noget { #mit-id }\n\n[her](#noget)", 23, "Linket '#noget' peger på et afsnit"),
    ('<h2 id="raa-html">Rå</h2>\n\n[her](#raa-html)', None, ""),  # an id in raw HTML counts, as MkDocs counts it
    ("<div>\n\n## Inde i html\n\n</div>\n\n[her](#inde-i-html)", 27, "Linket '#inde-i-html'"),  # Markdown never sees it
    ("[princippet](../principper/kerneopgaven.md#historier)", None, ""),  # added to a concept page by the plugin
    ("[aftalen](../aftalen/index.md#principper) og [KL](https://www.kl.dk/)", None, ""),
    ("[her](#findes-ikke)", 21, "Linket '#findes-ikke' peger på et afsnit (#findes-ikke), som siden ikke har."),
    ("Se [aftalen](../aftalen/index.md#findes-ikke).", 21, "Linket '../aftalen/index.md#findes-ikke' peger på et "),
    ("Se ![billedet](billede.png).", 21, "Linket 'billede.png' peger på en fil, der ikke findes"),
    ("Se [aftalen](/aftalen/).", 21, "Linket '/aftalen/' peger på en adresse fra sitets rod"),
    ("Se [aftalen](../aftalen/).", 21, "Linket '../aftalen/' peger på en fil, der ikke findes"),
    ("Se [siden](../findes-ikke.md).", 21, "Linket '../findes-ikke.md' peger på en side, der ikke findes."),
    ("Se [filen](../../../etc/passwd).", 21, "Linket '../../../etc/passwd' peger uden for sitet."),
]


def add_link_stories(site: Path, *, valid: bool = True, broken: bool = True) -> None:
    """The story the links point to, and one story per row of LINKS (the valid rows, the broken rows or both)."""
    story = (FIXTURES / "valid" / "cases" / "fri-fra-skemaet.md").read_text("utf-8")
    (site / "cases" / "maal.md").write_text(story + TARGET, "utf-8")
    for number, (added, line, _) in enumerate(LINKS):
        if broken if line else valid:
            (site / "cases" / f"link-{number}.md").write_text(story + added + "\n", "utf-8")


def test_every_link_is_checked_against_the_pages_and_the_ids_they_get(tmp_path: Path) -> None:
    site = make_site(tmp_path, "valid", keep_cases=True)
    add_link_stories(site)
    problems = pipeline.run(pipeline.build_index(site), site_url="https://x/").problems
    assert {p.code for p in problems} <= {"FM031"}
    found = {(p.path, p.line): p for p in problems}
    expected = {(f"cases/link-{n}.md", line): start for n, (_, line, start) in enumerate(LINKS) if line}
    assert set(found) == set(expected)
    for where, start in expected.items():
        assert found[where].message.startswith(start) and "https://" in found[where].hint, found[where]


def test_check_and_the_strict_build_refuse_the_same_links(tmp_path: Path) -> None:
    site = make_site(tmp_path, "valid", keep_cases=True)
    add_link_stories(site, valid=False)
    checked = run_check(site)
    built = mkdocs_build(site, tmp_path / "out")
    assert checked.returncode != 0 and built.returncode != 0, built.stderr[-2000:]
    lines = [line for line in checked.stdout.splitlines() if ": FM031 " in line]
    assert len(lines) == sum(1 for _, line, _ in LINKS if line)
    for line in lines:  # the build stops in on_config with the same lines check prints
        assert reported(line) in built.stderr


def test_a_built_storys_links_land_and_its_ids_are_its_own(copy_site: tuple[Path, Path, object]) -> None:
    """Each valid row as built: every link of the page opens a page or file of the site at an id it has (the text's
    `.md` links rewritten as MkDocs rewrites them), no id is there twice, and the address to copy is the page's."""
    _, out, _ = copy_site
    for number in (n for n, (_, line, _) in enumerate(LINKS) if not line):
        page = out / "historier" / f"link-{number}" / "index.html"
        parsed = parse_html(page.read_text("utf-8"))
        ids = [attributes["id"] for _, attributes in parsed.tags if "id" in attributes]
        assert len(ids) == len(set(ids)), (number, sorted(i for i in ids if ids.count(i) > 1))
        for href in {href for href in parsed.links if not urlsplit(href).scheme}:
            path, _, anchor = unquote(href).partition("#")
            target = (page.parent / path).resolve() if path else page
            target = target / "index.html" if target.is_dir() else target
            assert target.is_file() and target.is_relative_to(out.resolve()), (number, href)
            if anchor and target.suffix == ".html":
                assert f'id="{anchor}"' in target.read_text("utf-8"), (number, href)
        html = page.read_text("utf-8")
        address = re.search(r'<code id="historiens-adresse">([^<]*)</code>', html)
        assert address and address.group(1).endswith(f"/historier/link-{number}/"), number
        # Each entry of the table of contents leads to the heading it names.
        headings = dict(re.findall(r'<h[1-6] id="([^"]+)">([^<]*)<a class="headerlink"', html))
        toc = re.findall(
            r'<a href="#([^"]+)" class="md-nav__link">\s*<span class="md-ellipsis">\s*(.*?)\s*</span>', html, re.S
        )
        assert toc and all(headings.get(anchor) == text for anchor, text in toc), (number, toc)


def test_check_converts_with_the_markdown_settings_mkdocs_uses() -> None:
    """`check` reads mkdocs.yml itself; the build hands over MkDocs' own reading: both must be the same."""
    from mkdocs.config import load_config

    from frisaettelse.markup import site_markdown

    config = load_config(str(ROOT / "mkdocs.yml"))
    assert site_markdown(ROOT / "mkdocs.yml") == (list(config.markdown_extensions), dict(config.mdx_configs))
