"""The built site says only what the five documents in kilder/ say, and marks every choice of the editors wherever
it travels. Each test is a class of mistake, checked on the real build (`built_site`) against kilder/ itself:
a date said to be when something was told, one publisher named for a jointly published pamphlet, a quote cut
without "[…]", an editorial link without its mark on a card, in the feed, the data files or a newsletter snippet.
"""

from __future__ import annotations

import csv
import html as html_lib
import io
import json
import re
from pathlib import Path

import pytest
from helpers import ROOT, article, real_index, run_cli, visible_text

from frisaettelse.render import danish_date
from frisaettelse.schema import STORY_FIELDS

KILDER = ROOT / "kilder"
CUT = "[…]"


def pages(site: Path) -> dict[str, str]:
    """Every built HTML page's visible main text, by its path in the site."""
    found = {}
    for path in site.rglob("*.html"):
        raw = path.read_text(encoding="utf-8")
        if '<article class="md-content__inner md-typeset">' in raw:
            found[path.relative_to(site).as_posix()] = html_lib.unescape(visible_text(article(raw)))
    return found


def artefacts(site: Path) -> dict[str, str]:
    """What leaves the site: the feed, the data files and the newsletter snippets in every format."""
    out = {
        "feed.xml": (site / "feed.xml").read_text(encoding="utf-8"),
        "data/historier.csv": (site / "data" / "historier.csv").read_text(encoding="utf-8-sig"),
        "data/historier.json": (site / "data" / "historier.json").read_text(encoding="utf-8"),
    }
    for fmt in ("tekst", "markdown", "html"):
        code, text, err = run_cli("nyhedsbrev", "--format", fmt, "--projekt", str(ROOT))
        assert code == 0, err
        out[f"nyhedsbrev --format {fmt}"] = text
    return out


@pytest.fixture(scope="module")
def built(built_site: Path) -> dict[str, str]:
    return {**pages(built_site), **artefacts(built_site)}


# --- dates ------------------------------------------------------------------------------------------------------------

DATE = r"\d{1,2}\. (?:januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december) \d{4}"


def test_no_text_says_when_or_where_a_story_was_told(built: dict[str, str]) -> None:
    """The sources date documents, never the telling: no date is said to be when a story was 'fortalt', and no
    label or field says 'Fortalt'."""
    for where, text in built.items():
        assert not re.search(rf"fortalt\W+(?:\w+\W+){{0,12}}?{DATE}", text, re.I), where
        assert not re.search(rf"{DATE}\W+(?:\w+\W+){{0,6}}?fortalt", text, re.I), where
        assert not re.search(r"\bFortalt\b", text), where


def test_a_story_from_a_document_is_dated_as_the_document(built_site: Path) -> None:
    """Wherever a document story's date is shown, it says it is the source's date."""
    documents = {s.date.isoformat() for s in real_index().stories.values() if s.source != "indsendt"}
    assert documents
    shown = 0
    for path in built_site.rglob("*.html"):
        raw = path.read_text(encoding="utf-8")
        for day, after in re.findall(r'<time datetime="([\d-]+)">[^<]*</time>([^<]{0,20})', raw):
            if day in documents:
                assert after.startswith(" (kildens dato)"), (path, day, after)
                shown += 1
    register = html_lib.unescape(visible_text(article((built_site / "historier/fri-fra/index.html").read_text())))
    for day in {danish_date(s.date) for s in real_index().stories.values() if s.source != "indsendt"}:
        starts = [m.start() for m in re.finditer(re.escape(day), register)]
        assert starts and all(register[:at].endswith("kildens dato ") for at in starts), day
    assert shown >= len(documents)


# --- the pamphlet's publishers ----------------------------------------------------------------------------------------


def publishers() -> list[str]:
    """The pamphlet's publishers, as kilder/README.md gives them from its colophon."""
    readme = (KILDER / "README.md").read_text(encoding="utf-8")
    names = re.search(r"Udgivet \w+ \d{4} af (.+?)\. ISBN", readme).group(1)
    return re.split(r", | og ", names)


def test_no_page_names_one_publisher_of_the_jointly_published_pamphlet(built: dict[str, str]) -> None:
    names = publishers()
    assert len(names) == 6
    one = "|".join(re.escape(n) for n in names)
    for where, text in built.items():
        assert not re.search(rf"\b(?:{one})(?:-|'?s |s' )pjece", text, re.I), where
        for listing in re.findall(rf"(?:(?:{one})(?:, | og ))+(?:{one})", text):  # a list of them names all six
            assert sorted(set(re.findall(one, listing))) == sorted(names), (where, listing)


# --- quotes -----------------------------------------------------------------------------------------------------------


def _letters(text: str) -> tuple[str, list[int]]:
    """Only letters and digits, lower case, with each one's place in `text`: words compared, line breaks and
    hyphenation ('arbejds gange', 'smidig-hed') and typography aside."""
    kept = [(c.lower(), i) for i, c in enumerate(text) if c.isalnum()]
    return "".join(c for c, _ in kept), [i for _, i in kept]


SOURCES = [(KILDER / name).read_text(encoding="utf-8") for name in sorted(p.name for p in KILDER.glob("*.txt"))]
_SOURCE_LETTERS = [(text, *_letters(text)) for text in SOURCES]


def _starts_sentence(text: str, at: int) -> bool:
    before = text[:at].rstrip(" \t“”\"'‘’*-•●")
    return not before or before[-1] in ".!?:\n" or before.endswith("…")


def _ends_sentence(text: str, at: int) -> bool:
    after = text[at + 1 :].lstrip(" \t“”\"'‘’*")
    return not after or after[0] in ".!?\n" or after.startswith("…")


def quoted_from_sources(quote: str) -> bool:
    """The quote is whole sentences of one source, or every cut in it is marked with […]."""
    pieces = [p for p in (part.strip() for part in quote.split(CUT))]
    for text, letters, places in _SOURCE_LETTERS:
        ok = True
        for n, piece in enumerate(pieces):
            wanted, _ = _letters(piece)
            if not wanted:
                continue
            hits = [m.start() for m in re.finditer(re.escape(wanted), letters)]
            first, last = n == 0, n == len(pieces) - 1
            if not any(
                (not first or _starts_sentence(text, places[h]))
                and (not last or _ends_sentence(text, places[h + len(wanted) - 1]))
                for h in hits
            ):
                ok = False
                break
        if ok:
            return True
    return False


def test_the_quote_check_tells_a_cut_from_a_whole_sentence() -> None:
    """The rule itself, on the agreement's fourth principle: cut mid-sentence is refused unless marked."""
    whole = "Ledelse, der frisætter medarbejdere og faciliterer deres faglige arbejde, dilemmaer og valg samt"
    assert not quoted_from_sources("Ledelse, der frisætter medarbejdere og faciliterer deres faglige arbejde.")
    assert quoted_from_sources("Ledelse, der frisætter medarbejdere og faciliterer deres faglige arbejde […]")
    assert not quoted_from_sources(whole.split(" samt")[0] + " og ansvar.")  # a word the source does not have
    assert quoted_from_sources("Sæt fokus på kerneopgaven.") and not quoted_from_sources("fokus på kerneopgaven.")
    first = "Politisk skal kræfterne bruges på at sætte retning for velfærden."  # the agreement's fourth paragraph
    assert not quoted_from_sources(f"{first} Med friheden følger ansvaret.")  # two paragraphs apart
    assert quoted_from_sources(f"{first} […] Med friheden følger ansvaret. […]")


def quotes(built_site: Path) -> list[tuple[str, str]]:
    """(page, text) for everything the site presents as a quote: block quotes (all their paragraphs, without the
    attribution line, so a left-out sentence between two paragraphs counts as a cut),
    text in quotation marks in a story's facts, and the summaries of principles and hegnspæle (their pages' meta
    descriptions, shown beside them in every list)."""
    found = []
    for path in built_site.rglob("*.html"):
        raw = path.read_text(encoding="utf-8")
        where = path.relative_to(built_site).as_posix()
        for block in re.findall(r"<blockquote>(.*?)</blockquote>", raw, re.S):  # one quote, however many paragraphs
            paras = [
                html_lib.unescape(re.sub(r"<[^>]+>", "", p)).strip() for p in re.findall(r"<p>(.*?)</p>", block, re.S)
            ]
            found.append((where, " ".join(p for p in paras if not p.startswith("—"))))
        for fact in re.findall(r"<dd>“(.*?)”", raw):
            found.append((where, html_lib.unescape(re.sub(r"<[^>]+>", "", fact))))
        if where.startswith(("principper/", "hegnspaele/")) and not where.endswith(
            ("principper/index.html", "hegnspaele/index.html")
        ):
            found.append((where, html_lib.unescape(re.search(r'<meta name="description" content="([^"]*)"', raw)[1])))
    return found


def test_every_quote_is_whole_source_sentences_or_marks_its_cut(built_site: Path) -> None:
    found = quotes(built_site)
    assert len({where for where, _ in found}) >= 10  # story pages, the home page, nine concept pages
    wrong = [(where, text) for where, text in found if not quoted_from_sources(text)]
    assert not wrong


# --- editorial links travel with their mark ---------------------------------------------------------------------------


def test_every_editorial_link_is_marked_on_cards_tags_feed_data_and_snippets(
    built_site: Path, built: dict[str, str]
) -> None:
    index = real_index()
    titles = [c.title for c in [*index.principles.values(), *index.boundaries.values()]]
    # Share cards: the alt text of each story's image says whose choice each principle is.
    kit = (built_site / "om" / "kommunikation" / "index.html").read_text(encoding="utf-8")
    for story in index.stories.values():
        [alt] = re.findall(rf'<img src="[^"]*kort/{story.slug}\.png" alt="([^"]*)"', kit)
        alt = html_lib.unescape(alt)
        who = "Redaktionens" if story.linked_by_editors else "Fortællerens"
        for p in story.principles[:2]:
            assert f"{who} valg af princip: {index.principles[p].title}" in alt, story.slug
        page = (built_site / story.url / "index.html").read_text(encoding="utf-8")
        image_alt = html_lib.unescape(re.search(r'<meta property="og:image:alt" content="([^"]*)"', page)[1])
        assert f"{story.linked_by} har knyttet" in image_alt
        tags = re.search(r'<nav class="md-tags" aria-label="([^"]*)"', page)
        # The tags: the page's one note names them as the editors' choice; the chips name a teller's own choice.
        if tags is not None and story.linked_by_editors:
            assert tags[1] == "Emneord" and "emneordene" in visible_text(page), story.slug
        elif tags is not None:
            assert tags[1] == f"Emneord valgt af {story.linked_by}", story.slug
    # The feed: a category that names a principle or hegnspæl says who linked it.
    for category in re.findall(r"<category>(.*?)</category>", built["feed.xml"]):
        if any(title in html_lib.unescape(category) for title in titles):
            assert "knyttet af" in category, category
    # The data files: every column that holds a linked or chosen value says in its heading who chose it.
    chosen = [f.key for f in STORY_FIELDS if f.concept is not None] + ["fri_fra_type", "fri_til", "tags"]
    header = next(csv.reader(io.StringIO(built["data/historier.csv"])))
    explained = json.loads(built["data/historier.json"])["forklaring"]
    for key in chosen:
        [heading] = [h for h in header if h.split(" ")[0] == key]
        assert "koblet_af" in heading and "koblet_af" in explained[key], key
    # Newsletter snippets: a principle or hegnspæl named in a snippet comes with its mark.
    for fmt in ("tekst", "markdown", "html"):
        for snippet in built[f"nyhedsbrev --format {fmt}"].split("\n\n"):
            if any(title in snippet for title in titles):
                assert "knyttet af" in snippet or "valg af" in snippet, snippet
