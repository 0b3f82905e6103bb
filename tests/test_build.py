"""The real site, built with `mkdocs build --strict`, asserted on its HTML."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import ROOT, article, make_site, mkdocs_build, parse_html, real_index

from frisaettelse.load import slugify


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


def test_build_fails_with_file_line_and_fix_on_a_bad_story(tmp_path: Path) -> None:
    site = make_site(tmp_path, "unknown_principle")
    result = mkdocs_build(site, tmp_path / "out")
    assert result.returncode != 0
    assert "cases/ukendt-princip.md:8: FM003 Ukendt princip 'kerneopgave'. Mente du 'kerneopgaven'?" in result.stderr


def test_story_text_is_never_run_as_a_template(tmp_path: Path) -> None:
    """Jinja in a story fails validation; the build stops before anything could render it."""
    site = make_site(tmp_path, "jinja")
    marker = tmp_path / "pwned"
    story = site / "cases" / "skabelonkode.md"
    story.write_text(story.read_text().replace("popen('id')", f"popen('touch {marker}')"), encoding="utf-8")
    result = mkdocs_build(site, tmp_path / "out")
    assert result.returncode != 0
    assert "FM014" in result.stderr
    assert not marker.exists()


def test_macro_reference_to_unknown_id_fails_with_file_and_line(tmp_path: Path) -> None:
    # Real stories kept: docs pages (erfaringer/eksempler-fra-praksis.md) link the seed stories by macro.
    site = make_site(tmp_path, "valid", keep_cases=True)
    target = site / "docs" / "hegnspaele" / "index.md"
    lines = target.read_text(encoding="utf-8").split("\n")
    lines.append("Se også {{ princip('kerneopgave') }}.")
    target.write_text("\n".join(lines), encoding="utf-8")
    result = mkdocs_build(site, tmp_path / "out")
    assert result.returncode != 0
    assert (
        f"docs/hegnspaele/index.md:{len(lines)}: FM020 Ukendt princip 'kerneopgave'. Mente du 'kerneopgaven'?"
    ) in result.stderr + result.stdout


def test_valid_contributed_story_reaches_the_site(tmp_path: Path) -> None:
    site = make_site(tmp_path, "valid", keep_cases=True)
    result = mkdocs_build(site, tmp_path / "out")
    assert result.returncode == 0, result.stderr[-3000:]
    html = page(tmp_path / "out", "historier/fri-fra-skemaet")
    assert "Fri fra skemaet" in html and "Mere tid til eleverne." in html
    principle = page(tmp_path / "out", "principper/kerneopgaven")
    assert "../../historier/fri-fra-skemaet/" in principle


def test_every_menu_entry_has_its_title_on_every_page(built_site: Path) -> None:
    """Titles in the menu come from each page; a page's title must survive its own build (memory is released)."""
    for path in built_site.rglob("index.html"):
        html = path.read_text(encoding="utf-8")
        if '<nav class="md-nav md-nav--primary"' not in html:
            continue
        nav = html[html.index('<nav class="md-nav md-nav--primary"') :]
        labels = re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', nav[: nav.index("</nav>")], re.S)
        assert labels and "None" not in labels, path
