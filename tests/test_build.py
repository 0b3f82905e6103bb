"""The real site, built with `mkdocs build --strict`, asserted on its HTML."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import (
    ROOT,
    VALID_STORY,
    article,
    changed,
    make_site,
    mkdocs_build,
    parse_html,
    real_index,
    reported,
    run_check,
)

from frisaettelse.load import slugify
from frisaettelse.pipeline import build_index


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def links_in_article(html: str) -> set[str]:
    return set(parse_html(article(html)).links)


def test_every_case_file_has_a_page_at_a_stable_url(built_site: Path) -> None:
    files = sorted((ROOT / "cases").glob("*.md"))
    assert len(files) >= 5
    for path in files:
        html = page(built_site, f"historier/{slugify(path.stem)}")
        story = real_index().stories[slugify(path.stem)]
        assert f">{story.title}<" in html.replace("&#39;", "'").replace("&quot;", '"')


def test_url_transliterates_danish_letters() -> None:
    assert slugify("Ændret åbningstid") == "aendret-aabningstid"
    assert slugify("Forældre-involvering: nye ØNSKER") == "foraeldre-involvering-nye-oensker"


def test_every_story_links_to_its_principles_and_boundaries(built_site: Path) -> None:
    for story in real_index().stories.values():
        links = links_in_article(page(built_site, story.url.rstrip("/")))
        for pid in story.principles:
            assert f"../../principper/{pid}/" in links, (story.slug, pid)
        for bid in story.boundaries:
            assert f"../../hegnspaele/{bid}/" in links, (story.slug, bid)


def test_every_concept_page_lists_exactly_the_stories_that_name_it(built_site: Path) -> None:
    for kind, folder, key in (("princip", "principper", "principles"), ("hegnspæl", "hegnspaele", "boundaries")):
        for concept in real_index().concepts(kind):
            html = article(page(built_site, f"{folder}/{concept.id}"))
            section = html[html.index('id="historier"') :]
            listed = set(re.findall(r'href="\.\./\.\./historier/([^/"]+)/"', section))
            expected = {s.slug for s in real_index().stories.values() if concept.id in getattr(s, key)}
            assert listed == expected, (concept.id, listed, expected)
            if not expected:
                assert "Ingen historier endnu" in section


def test_stories_stay_out_of_the_navigation(built_site: Path) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('<nav class="md-nav md-nav--primary"') :]
    nav = nav[: nav.index("</nav>")]
    for story in real_index().stories.values():
        assert f"historier/{story.slug}/" not in nav


def test_each_page_names_its_source(built_site: Path) -> None:
    html = article(page(built_site, "principper/kerneopgaven"))
    assert "Kilde: " in html and "Aftale om frisættelse og afbureaukratisering i Rebild Kommune" in html


# One story per class of problem, each proven in memory (test_validate.py, test_trust.py, test_guard.py); here, once,
# the real check and the real strict build on them all: the same verdict and the same lines, nothing published.
NESTED = "\n".join("    " * n + "- punkt" for n in range(400))  # too deep for Markdown itself
EVERY_CLASS = {
    "titel-med-escape.md": changed("title: Fri fra skemaet", 'title: "Fri fra \\x3cimg src=x onerror=alert(1)\\x3e"'),
    "ukendt-princip.md": changed("principper: [kerneopgaven]", "principper: [kerneopgave]"),
    "30-februar.md": changed("dato: 2024-03-01", "dato: 2023-02-30"),
    "side.md": VALID_STORY,
    "dyb-liste.md": VALID_STORY + NESTED + "\n",
    "tabel.md": VALID_STORY + "| a | b |\n|---|---|\n| 010203 | 1234 |\n",  # a number only the page shows
}


def test_check_and_the_strict_build_refuse_every_class_on_the_same_lines(tmp_path: Path) -> None:
    site = make_site(tmp_path, keep_cases=True, stories=EVERY_CLASS)
    (site / "cases" / "genvej.md").symlink_to("/etc/hostname")
    (site / "cases" / "aendret-aabningstid.md").rename(site / "cases" / "aendret-aabningstid-i-dagtilbud.md")
    expected = build_index(site).problems
    assert {p.code for p in expected} == {"FM001", "FM003", "FM012", "FM013", "FM016", "FM020", "FM040", "FM042"}
    check = run_check(site)
    assert check.returncode == 1 and check.stdout.splitlines() == [p.format() for p in expected]
    build = mkdocs_build(site, tmp_path / "out")
    assert build.returncode != 0 and "Traceback" not in build.stdout + build.stderr
    for line in check.stdout.splitlines():
        assert reported(line) in build.stderr, line
    assert "etc" not in check.stdout  # nothing behind the link is read or listed
    assert not (tmp_path / "out" / "historier").exists() or not any((tmp_path / "out" / "historier").iterdir())


def test_story_text_is_never_run_as_a_template(tmp_path: Path) -> None:
    """Jinja in a story fails validation; the build stops before anything could render it."""
    marker = tmp_path / "pwned"
    story = VALID_STORY + "{{ lipsum.__globals__['os'].popen('touch " + str(marker) + "').read() }}\n"
    result = mkdocs_build(make_site(tmp_path, stories={"skabelonkode.md": story}), tmp_path / "out")
    assert result.returncode != 0
    assert "FM014" in result.stderr
    assert not marker.exists()


def test_every_menu_entry_has_its_title_on_every_page(built_site: Path) -> None:
    """Titles in the menu come from each page; a page's title must survive its own build (memory is released)."""
    for path in built_site.rglob("index.html"):
        html = path.read_text(encoding="utf-8")
        if '<nav class="md-nav md-nav--primary"' not in html:
            continue
        nav = html[html.index('<nav class="md-nav md-nav--primary"') :]
        labels = re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', nav[: nav.index("</nav>")], re.S)
        assert labels and "None" not in labels, path
