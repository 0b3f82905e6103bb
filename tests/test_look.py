"""The site's furniture in the built HTML: valid markup of our own, the Danish footer, the wordmark, the edit action
below the content and only where the source is worth editing, light/dark palette, and the contributor pages."""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from pathlib import Path

import yaml
from helpers import ROOT, article, parse_html, real_index, visible_text

from frisaettelse.facets import tag_url
from frisaettelse.model import Story
from frisaettelse.problems import Code


def a_story() -> Story:
    """Any real story (its page, its tags): picked from the index on first use, not at import."""
    return next(iter(real_index().stories.values()))


REPO = "https://github.com/rebild-kommune/frisaettelse"
FORM = f"{REPO}/issues/new?template=ny-historie.yml"


def page(built_site: Path, url: str) -> str:
    return (built_site / url / "index.html").read_text(encoding="utf-8")


def docs_sources() -> list[Path]:
    return sorted((ROOT / "docs").rglob("*.md"))


def url_of(source: Path) -> str:
    rel = source.relative_to(ROOT / "docs").as_posix()[:-3]
    return rel.removesuffix("index").rstrip("/") + "/" if rel.removesuffix("index") else ""


def front_matter(source: Path) -> dict:
    text = source.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1]) if text.startswith("---\n") else {}


def footer(html: str) -> str:
    match = re.search(r'<footer class="md-footer">(.*?)</footer>', html, re.DOTALL)
    assert match, "no footer"
    return match.group(1)


def header(html: str) -> str:
    match = re.search(r'<header class="md-header[^"]*"[^>]*>(.*?)</header>', html, re.DOTALL)
    assert match, "no header"
    return match.group(1)


# --- markup -----------------------------------------------------------------------------------------------------


def test_no_page_has_duplicate_ids_leaked_markdown_attributes_or_empty_tabindex(built_site: Path) -> None:
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 50
    problems = []
    for path in pages:
        tags = parse_html(path.read_text(encoding="utf-8")).tags
        ids = Counter(attrs["id"] for _, attrs in tags if "id" in attrs)
        problems += [f"{path}: id {i} × {n}" for i, n in ids.items() if n > 1]
        problems += [f"{path}: <{tag} markdown>" for tag, attrs in tags if "markdown" in attrs]
        problems += [f"{path}: <{tag} tabindex=''>" for tag, attrs in tags if attrs.get("tabindex", None) == ""]
    assert problems == []


def test_the_search_dialog_has_an_accessible_name(built_site: Path) -> None:
    tags = parse_html(page(built_site, "")).tags
    dialogs = [attrs for tag, attrs in tags if attrs.get("role") == "dialog"]
    assert dialogs and all(attrs.get("aria-label") for attrs in dialogs), dialogs


# --- header and footer ------------------------------------------------------------------------------------------

FOOTER_LINKS = {
    "Om sitet": "om/index.html",
    "Tilgængelighedserklæring": "om/tilgaengelighed/index.html",
    "Del din historie": "del-din-historie/index.html",
    "Følg nye historier (feed)": "feed/index.html",
}


def footer_links(html: str) -> dict[str, str]:
    return {
        re.sub(r"\s+", " ", text).strip(): href
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', footer(html))
    }


def test_every_page_type_has_the_danish_footer_and_its_links_lead_somewhere(built_site: Path) -> None:
    urls = [
        "",
        a_story().url,
        "principper/kerneopgaven/",
        "historier/",
        "historier/omraade/dagtilbud/",
        "del-din-historie/",
        "bidrag/felter-og-fejlkoder/",
        "om/hastighed/",
    ]
    for url in urls:
        html = page(built_site, url)
        text = visible_text(footer(html))
        assert "Made with" not in html and "Material for MkDocs" not in text, url
        assert "Udgivet af Rebild Kommune." in text, url
        links = footer_links(html)
        for name, target in FOOTER_LINKS.items():
            assert name in links, (url, name)
            resolved = posixpath.normpath(posixpath.join(url, links[name]))
            file = built_site / resolved
            assert (file / "index.html").exists() if not resolved.endswith(".xml") else file.exists(), (url, name)
            assert (built_site / target).exists()
        assert links["Skriv til redaktionen på GitHub"] == f"{REPO}/issues"
        assert links["Kildekode på GitHub"] == REPO


def test_without_an_address_the_contact_is_the_github_route_only(built_site: Path) -> None:
    for html in (
        page(built_site, ""),
        (built_site / "404.html").read_text(encoding="utf-8"),
        page(built_site, "om/kontakt/"),
    ):
        assert "mailto:" not in html  # no invented address
        assert f"{REPO}/issues" in html
    # Every page ends with the one quiet link to the contact page.
    for url in ("", a_story().url, "historier/", "om/hastighed/"):
        links = parse_html(page(built_site, url)).links
        assert "om/kontakt" in {posixpath.normpath(posixpath.join(url, h)) for h in links}, url


def test_the_editors_address_set_in_mkdocs_yml_shows_in_the_footer_the_404_page_and_the_contact_page(
    copy_site: tuple[Path, Path, object],
) -> None:
    out = copy_site[1]
    for path in ("index.html", "404.html", "om/kontakt/index.html"):
        assert 'href="mailto:redaktion@eksempel.dk"' in (out / path).read_text(encoding="utf-8"), path


def test_the_404_page_links_from_the_site_root_in_its_footer(built_site: Path) -> None:
    """The 404 page is served at any depth: its footer links must not be relative to where it was written."""
    links = footer_links((built_site / "404.html").read_text(encoding="utf-8"))
    assert links["Om sitet"] == "/frisaettelse/om/"
    assert links["Følg nye historier (feed)"] == "/frisaettelse/feed/"


def test_the_header_has_the_wordmark_and_no_repository_link_or_generic_icon(built_site: Path) -> None:
    html = page(built_site, a_story().url)
    head = header(html)
    assert re.search(
        r'<a href="\.\./\.\./?" class="ordmaerke">\s*<span class="ordmaerke__afsender">Rebild Kommune</span>\s*'
        r'<span class="ordmaerke__hoved">Frisættelse</span> '
        r'<span class="ordmaerke__rest">i Rebild</span>\s*</a>',
        head,
    )
    assert "md-source" not in head and "github" not in head.lower()
    assert "md-logo" not in head
    assert 'data-md-component="logo"' not in head or "ordmaerke-streg" in html


def test_the_palette_follows_the_system_and_has_a_toggle_each_way() -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    palette = config["theme"]["palette"]
    assert [p["media"] for p in palette] == ["(prefers-color-scheme: light)", "(prefers-color-scheme: dark)"]
    assert [p["scheme"] for p in palette] == ["default", "slate"]
    assert all(p["toggle"]["name"].startswith("Skift til ") for p in palette)


# --- the edit action --------------------------------------------------------------------------------------------

EDIT = re.compile(r'<a href="[^"]+" class="ret-siden" rel="edit">')


def test_the_edit_action_comes_after_the_content_never_in_the_title_row(built_site: Path) -> None:
    for url in (a_story().url, "principper/kerneopgaven/", "aftalen/", "del-din-historie/"):
        content = article(page(built_site, url))
        edit = EDIT.search(content)
        assert edit, url
        h1_end = content.index("</h1>")
        assert edit.start() > h1_end, url
        actions = content.index('<div class="sidehandlinger">')
        assert actions < edit.start(), url
        # Only the page's own actions and the print-only line come after it.
        after = re.sub(r'<p class="kun-udskrift">.*?</p>', "", content[edit.end() :], flags=re.DOTALL)
        assert not re.search(r"<(h[1-6]|p|ul|ol|blockquote)\b", after), url
    story = article(page(built_site, a_story().url))
    assert story.index('class="kilde"') < EDIT.search(story).start()


def test_pages_marked_rediger_false_and_generated_pages_have_no_edit_action(built_site: Path) -> None:
    marked = [source for source in docs_sources() if front_matter(source).get("rediger") is False]
    assert {url_of(s) for s in marked} >= {
        "historier/",
        "historier/daekning/",
        "historier/emneord/",
        "historier/fri-fra/",
        "om/kommunikation/",
    }
    for source in marked:
        assert not EDIT.search(page(built_site, url_of(source))), source
    generated = ["historier/omraade/dagtilbud/", "historier/princip/kerneopgaven/", "historier/regel/lokal-vane/"]
    generated.append(tag_url(sorted(a_story().tags)[0]))
    for url in generated:
        html = page(built_site, url)
        assert 'rel="edit"' not in html, url
    unmarked = [s for s in docs_sources() if s not in marked]
    assert unmarked and all(EDIT.search(page(built_site, url_of(s))) for s in unmarked)


def test_rediger_false_is_only_used_where_the_page_is_mostly_a_macro_call() -> None:
    """A page the editors write by hand keeps its edit link: the flag is for pages a macro fills."""
    for source in docs_sources():
        if front_matter(source).get("rediger") is False:
            assert re.search(r"\{\{\s*\w+\(\)\s*\}\}", source.read_text(encoding="utf-8")), source


# --- print ------------------------------------------------------------------------------------------------------


def test_every_page_carries_its_address_for_paper(built_site: Path) -> None:
    html = page(built_site, a_story().url)
    assert (
        f'<p class="kun-udskrift">Fra Frisættelse i Rebild: '
        f"https://rebild-kommune.github.io/frisaettelse/{a_story().url}</p>"
    ) in html
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert "assets/udskrift.css" in config["extra_css"]


# --- contributor pages ------------------------------------------------------------------------------------------


def test_the_start_page_is_short_with_one_start_button_and_three_steps(built_site: Path) -> None:
    content = article(page(built_site, "del-din-historie/"))
    buttons = re.findall(r'<a class="md-button md-button--primary startknap" href="([^"]+)">([^<]+)</a>', content)
    assert buttons == [(FORM, "Skriv din historie")]
    assert content.count("md-button--primary") == 1
    # The button comes before the first section; the first section is the three steps.
    assert content.index("startknap") < content.index("<h2")
    steps = re.search(r'<h2 id="formularen">.*?</h2>\s*<ol>(.*?)</ol>', content, re.DOTALL)
    assert steps and steps.group(1).count("<li>") == 3
    text = visible_text(content)
    assert "Tryk på Submit new issue – det betyder ‘Send’." in text
    # The reference moved away: no field list, template or error codes here.
    assert 'class="felter"' not in content and "Sådan retter du det" not in content
    assert not any(f'id="{code.lower()}"' in content for code in Code)
    assert "bidrag/felter-og-fejlkoder/" in content
    # Not a claim about every story (the first stories predate the agreement; issue 13).
    assert "Hver historie bygger på" not in text


def test_the_local_route_says_how_to_send_the_story_in(built_site: Path) -> None:
    content = article(page(built_site, "del-din-historie/"))
    local = content[content.index('id="lokalt"') : content.index('id="ret-en-side"')]
    text = visible_text(local)
    for command in (
        ".venv/bin/python -m frisaettelse ny",
        ".venv/bin/python -m frisaettelse tjek",
        "git switch -c",
        "git commit",
        "git push",
    ):
        assert command in text, command
    assert "Fork" in text and "Create pull request" in text
    assert not re.search(r"(?<![/\w])python -m frisaettelse", text.replace(".venv/bin/python -m", ""))


def test_the_reference_page_holds_examples_fields_template_and_every_code(built_site: Path) -> None:
    content = article(page(built_site, "bidrag/felter-og-fejlkoder/"))
    for anchor in ("eksempler", "felterne", "skabelon", "fejlbeskeder", *(c.lower() for c in Code)):
        assert f'id="{anchor}"' in content, anchor
    assert 'href="../../del-din-historie/"' in content


def test_old_links_to_the_codes_on_the_start_page_are_forwarded(built_site: Path) -> None:
    """Error messages printed before the move link to del-din-historie/#fmXXX; sidehjaelp.js sends them on."""
    html = page(built_site, "del-din-historie/")
    assert re.search(r'<script src="../assets/sidehjaelp.js', html)
    script = (built_site / "assets" / "sidehjaelp.js").read_text(encoding="utf-8")
    assert "../bidrag/felter-og-fejlkoder/" in script and "fm\\d{3}" in script
