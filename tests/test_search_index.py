"""The search index the browser downloads: one plain-text entry per story from the index, docs pages as the theme's
search plugin splits them, without the lists generated from the stories; no markup beyond bare paragraphs, lists and
code (unit tests and the real build)."""

from __future__ import annotations

import dataclasses
import json
import re
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import yaml
from helpers import ROOT
from material.plugins.search.plugin import SearchIndex
from test_index import index_of, story

from frisaettelse import addresses, render
from frisaettelse.model import Concept
from frisaettelse.pipeline import build_index
from frisaettelse.schema import SOURCES, ConceptKind
from frisaettelse.search_index import markdown_words, story_entry, words, write

KERNEOPGAVEN = Concept(
    ConceptKind.PRINCIPLE,
    "kerneopgaven",
    "Fokusér på kerneopgaven og sæt 'plejer-kulturen' under lup",
    "d",
    1,
    "principper/kerneopgaven.md",
)

SEARCH_KEEPS = {"p", "code", "pre", "li", "ol", "ul", "sub", "sup"}


def only_paragraph_markup(text: str) -> bool:
    bare = text.replace("<p>", "").replace("</p>", "")
    return "<" not in bare and ">" not in bare


def only_search_markup(text: str) -> bool:
    """Bare paragraphs, lists and code: what the theme's search plugin keeps of a page's markup."""
    bare = re.sub(r"<[^>]*>", "", text)
    tags = re.findall(r"</?([^>]*)>", text)
    return all(tag in SEARCH_KEEPS for tag in tags) and "<" not in bare and ">" not in bare


# --- a story ---------------------------------------------------------------------------------------------------


def test_a_story_is_one_plain_entry_with_labelled_facts_and_its_words_once() -> None:
    told = dataclasses.replace(
        story("morgenmoede"),
        title="Børn & voksne <b>først</b>",
        description="Mere tid <script>x</script> til børn.",
        freed_from="Det faste morgenmøde",
        freed_from_kind="lokal vane",
        freed_to="Tid til børnene om morgenen.",
        quote_role="Pædagog, Rebild Kommune",
        tags=("morgenmøde", "<tag>"),
        body='> "Vi holdt **morgenmødet** hver dag. [Se planen](https://intra.example/plan) og '
        '<span class="x">morgenmødet</span> igen – og igen."\n>\n> — Pædagog, Rebild Kommune\n',
    )
    index = index_of(told)
    index.principles = {"kerneopgaven": KERNEOPGAVEN}
    entry = story_entry(told, index)
    assert entry["location"] == "historier/morgenmoede/"
    assert entry["title"] == "Børn &amp; voksne &lt;b&gt;først&lt;/b&gt;"
    assert entry["tags"] == ["morgenmøde", "<tag>"]  # escaped with the whole file by sanitize.clean_search_index
    assert only_paragraph_markup(entry["text"]) and "&lt;script&gt;" in entry["text"]
    # A space (and a colon) between each label and its value, and the kind of rule as words.
    assert "Fri fra: Det faste morgenmøde (Lokal vane/‘plejer’, valgt af fortælleren)" in entry["text"]
    assert "Fri til: Tid til børnene om morgenen." in entry["text"] and "Område: Skole" in entry["text"]
    hidden = entry["words"].split()
    assert "morgenmødet" in hidden and hidden.count("morgenmødet") == 1  # each word once
    assert {"kulturen", "lup"} <= set(hidden)  # the principle by its title ("plejer" is in the kind of rule)
    assert not {"og", "https", "intra", "example", "span", "class"} & {w.lower() for w in hidden}
    assert not {"tid", "børn", "voksne"} & {w.lower() for w in hidden}  # already in the title or the snippet
    assert len({w.lower() for w in hidden}) == len(hidden) and "Pædagog" in hidden  # the role once, not twice


def test_the_snippet_does_not_say_the_summary_twice() -> None:
    same = dataclasses.replace(story("x"), description="Ro og tid til børnene.", freed_to="Ro og tid til børnene")
    assert "Fri til" not in story_entry(same, index_of(same))["text"]
    other = dataclasses.replace(same, freed_to="Noget andet.")
    assert "Fri til: Noget andet." in story_entry(other, index_of(other))["text"]
    untold = dataclasses.replace(same, freed_from="ikke oplyst", freed_from_kind="ikke oplyst", freed_to="ikke oplyst")
    entry = story_entry(untold, index_of(untold))
    assert "Fri fra" not in entry["text"] and "oplyst" not in entry["text"] + entry.get(
        "words", ""
    )  # nothing to find there


def test_markdown_words_skip_addresses_and_markup() -> None:
    found = markdown_words("Se [planen](../plan.md) og <https://x.dk/a> &amp; *mere*\n\n[ref]: https://y.dk\n")
    assert found == ["Se", "planen", "og", "mere"]


# --- a docs page -----------------------------------------------------------------------------------------------


def docs_entries(tmp_path: Path, html_text: str) -> dict[str, tuple[str, str]]:
    """A page through the theme's own search plugin, then through ours: what the browser downloads of it."""
    told = dataclasses.replace(story("morgenmoede"), title="Om morgenen")
    theme = SearchIndex(lang=["da"], separator=" ", pipeline=[], fields={})
    theme.add_entry_from_context(
        SimpleNamespace(content=html_text, toc=[], url="historier/fri-fra/", meta={}, title="Sidens titel")
    )
    (tmp_path / "search").mkdir()
    (tmp_path / addresses.SEARCH_INDEX).write_text(theme.generate_search_index(None), encoding="utf-8")
    write(tmp_path, index_of(told))
    docs = json.loads((tmp_path / addresses.SEARCH_INDEX).read_text(encoding="utf-8"))["docs"]
    assert docs[-1]["location"] == "historier/morgenmoede/"  # the story's own entry, from the index
    return {e["location"]: (e["title"], e["text"]) for e in docs[:-1]}


def test_a_docs_page_is_its_sections_without_what_is_generated_from_the_stories(tmp_path: Path) -> None:
    told = dataclasses.replace(story("morgenmoede"), title="Om morgenen", description="Et resumé")
    cards = render.macro("parts.html", "cards")([told], "historier/fri-fra.md", True)
    page = f"""<h1 id="register">Registeret<a class="headerlink" href="#register">¶</a></h1>
<p>Her er alle de regler, medarbejderne blev sat fri fra.</p>
<h2 id="lokal-vane-plejer">Lokal vane/‘plejer’<a class="headerlink" href="#lokal-vane-plejer">¶</a></h2>
<p>En regel skrevet i hånden</p>
{render.source_line("aftalen", "historier/fri-fra.md", index_of(told))}
<h2 id="nyeste">Nyeste historier</h2>
{cards}
<h3 id="uddrag-morgenmoede">Om morgenen</h3>
<pre>Om morgenen – læs historien</pre>
<h2 id="felter">Felterne</h2>
<p>Kommunal regel &lt;script&gt; &amp; mere</p>
<div data-search-exclude><p>Skjult</p></div>
"""
    found = docs_entries(tmp_path, page)
    assert list(found) == ["historier/fri-fra/", "historier/fri-fra/#lokal-vane-plejer", "historier/fri-fra/#felter"]
    intro = "<p>Her er alle de regler, medarbejderne blev sat fri fra.</p>"
    assert found["historier/fri-fra/"] == ("Registeret", intro)
    # The hand-written text stays; the source line and the ¶ do not, nor a section that only listed stories
    # (its cards) or one headed by a story's title (the newsletter kit's snippet).
    assert found["historier/fri-fra/#lokal-vane-plejer"] == ("Lokal vane/‘plejer’", "<p>En regel skrevet i hånden</p>")
    assert found["historier/fri-fra/#felter"] == ("Felterne", "<p>Kommunal regel &lt;script&gt; &amp; mere</p>")


def test_a_page_without_a_heading_is_found_by_its_title(tmp_path: Path) -> None:
    found = docs_entries(tmp_path, "<p>Tekst uden overskrift.</p>")
    assert found == {"historier/fri-fra/": ("Sidens titel", "<p>Tekst uden overskrift.</p>")}


# --- the real build --------------------------------------------------------------------------------------------


def test_the_built_index_has_one_plain_entry_per_story_and_no_listings(built_site: Path) -> None:
    data = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))
    docs = data["docs"]
    index = build_index(ROOT)
    story_urls = {s.url for s in index.stories.values()}
    locations = [d["location"] for d in docs]
    for url in story_urls:
        assert locations.count(url) == 1, url
        assert not [loc for loc in locations if loc.startswith(url + "#")], url  # no facts, links or related
    generated = tuple(f"{addresses.STORY_DIR}/{key}/" for key in (*addresses.FACET_KEYS, addresses.TAGS_KEY))
    tag_index = addresses.page_url(addresses.TAG_INDEX_SRC)
    assert not [
        loc
        for loc in locations
        if loc.startswith(generated) and not loc.startswith(tag_index + "#") and loc != tag_index
    ]
    for doc in docs:
        assert (only_paragraph_markup if doc["location"] in story_urls else only_search_markup)(doc["text"]), doc
        assert not [t for t in SOURCES.values() if f"Kilde: {t.title}" in unescape(doc["text"])], doc["location"]
        assert "<" not in doc["title"] + "".join(doc.get("tags", [])), doc["location"]
        assert not re.search(r"&(?!amp;|lt;|gt;)", doc["text"] + doc["title"]), doc["location"]
    # No list generated from the stories repeats one: a summary is only in the story's own entry, and on a page
    # whose author wrote about the story by hand ({{ historie('…') }}).
    for s in index.stories.values():
        by_hand = {
            addresses.page_url(p.relative_to(ROOT / "docs").as_posix())
            for p in (ROOT / "docs").rglob("*.md")
            if f"historie('{s.slug}')" in p.read_text(encoding="utf-8")
        }
        found = {d["location"] for d in docs if s.description in d["text"]}
        assert s.url in found and {loc.split("#")[0] for loc in found - {s.url}} <= by_hand, s.slug
    # The tag index lists tags; search must not take it for a page about them.
    tag_index = " ".join(d["title"] + d["text"] for d in docs if d["location"].startswith("historier/emneord/"))
    assert tag_index and not {t for s in index.stories.values() for t in s.tags if t in words(tag_index)}
    # The configuration is mkdocs.yml's, with the field for the words of a story.
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    search = next(p["search"] for p in config["plugins"] if isinstance(p, dict) and "search" in p)
    assert data["config"]["separator"] == search["separator"]
    assert "words" in data["config"]["fields"]
    # The marks that keep generated lists out of search are the search plugin's: no page shows them.
    assert not [p for p in built_site.rglob("*.html") if "data-search-" in p.read_text(encoding="utf-8")]
    assert re.split(data["config"]["separator"], "'plejer-kulturen' vane/‘plejer’") == [
        "",
        "plejer",
        "kulturen",
        "vane",
        "plejer",
        "",
    ]
