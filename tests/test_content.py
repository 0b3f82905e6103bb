"""Fidelity of the site to its five source documents, and that every built page can be reached from the home page.

Passages are pasted here, and each is checked against its seed file too, so the list cannot drift from the sources.
"""

from __future__ import annotations

import html as html_lib
import posixpath
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from helpers import ROOT, article, parse_html, real_browse

from frisaettelse.schema import SOURCES

SEEDS = ROOT / "kilder"  # the five sources, in the repository: a fresh clone tests against them
SEED_FILES = {
    "aftale": "aftale-frisaettelse-rebild.txt",
    "kl": "kl-faelles-perspektiver-paa-frisaettelse.txt",
    "christiansborg": "erfaringer-og-anbefalinger-christiansborg-2023.txt",
    "proces": "politisk-proces-slides.txt",
    "ocr": "politisk-proces-slides-ocr.txt",
}

# (seed, passage): each must be in its seed file and on the built site, word for word (whitespace normalised).
PASSAGES: list[tuple[str, str]] = [
    (
        "aftale",
        "Aftaleparterne er enige om, at der er brug for i højere grad at benytte det store potentiale, "
        "som findes i kommunen.",
    ),
    (
        "aftale",
        "Siden 2021 har Rebild Kommune indgået velfærdsaftale med regeringen og gjort sig erfaringer med "
        "frisættelse som forsøgskommune på dagtilbudsområdet.",
    ),
    (
        "aftale",
        "Formålet med at frisætte hele kommunen er at løfte kvaliteten af velfærden ved at sætte fagligheden "
        "og den professionelle dømmekraft fri.",
    ),
    ("aftale", "Politisk skal kræfterne bruges på at sætte retning for velfærden."),
    (
        "aftale",
        "og ikke blot erstatte med nye regler, retningslinjer eller procedure, så den ønskede frihed og "
        "værdi ikke opnås.",
    ),
    ("aftale", "Med friheden følger ansvaret."),
    ("aftale", "Det kræver mod og tålmodighed at være i processen uden at kende resultatet på forhånd."),
    ("aftale", "Frihed er at være bundet af de rette bånd"),
    ("aftale", "Styrk borgernes muligheder for at deltage aktivt og tage mest muligt ansvar for eget liv."),
    ("aftale", "Aftaleparterne er enige om, at aftalen er gældende fra 1. november 2023 til 1. november 2027."),
    (
        "kl",
        "Kommunernes medarbejdere, ledere og kommunalpolitikere har ansvar for, at de offentlige "
        "velfærdsopgaver udvikles",
    ),
    (
        "kl",
        "Organisationerne opfordrer sammen til, at de fælles perspektiver og budskaber i denne pjece kan "
        "præge det arbejde med frisættelse, som forestår.",
    ),
    ("kl", "Frisættelse er ikke kun frihed fra noget, men også frihed til noget"),
    ("kl", "Overstyring begrænser medarbejdernes mulighed for fagligt skøn"),
    ("kl", "Det kan fx være udvikling af et kodeks for god regelstyring."),
    (
        "kl",
        'hver gang en statslig styrelse tænker "nice to know" og beslutter en ny indberetning, flytter det '
        "ressourcer fra faglig indsats til papirarbejde.",
    ),
    ("kl", "I de udførende led handler frisættelse ikke kun om at få større ansvar, men også om at tage det."),
    (
        "kl",
        "Det viser sig i flere tilfælde, at tradition og vane faktisk udgør en barriere for forandring på "
        "niveau med regler eller formelle rammer.",
    ),
    ("kl", 'sociale udførerafdelinger som "hjemme hos\'er", sundhedsplejen m.v.'),
    (
        "kl",
        "Frisættelse giver ikke frihed fra dette ledelsesfællesskab, men derimod ret til at trække på det og "
        "ansvar for at bidrage til det.",
    ),
    ("kl", "Det kan være genetablering af arbejdsmarkedskontakt for langvarige kontanthjælpsmodtager."),
    ("kl", "978-87-93950-92-4"),
    ("christiansborg", "Møde med aftaleparter på Christiansborg"),
    ("christiansborg", "Fælles forståelse af frihed"),
    ("christiansborg", "Fra 'fikser' leder til faciliterende leder"),
    ("christiansborg", "Øger innovation, motivation, betydningen af fællesskab, faglig stolthed og arbejdsglæde."),
    ("christiansborg", "Honorerer den aktuelle børnegruppens behov og den professionelle dømmekraft."),
    ("christiansborg", "Læringsproces, hvor resultatet ikke kendes på forhånd. Kræver mod og tryghed."),
    ("christiansborg", "Hvordan evalueres innovation og laves tilbageløb til politikere, evaluator o.a.?"),
    ("christiansborg", "'Gaven fra oven' – den nationale bevågenhed og tillid har været meget betydningsfuld."),
    (
        "christiansborg",
        "Valg af indhold, form, test og evaluering af pædagogisk praksis varetages af de "
        "fagprofessionelle og faglige argumenter.",
    ),
    ("christiansborg", "Kvalitets- og udviklingsamtaler"),
    ("christiansborg", "Frihed handler om ansvar, og vi oplever mere fokus på faglighed i vores arbejde med børnene"),
    ("christiansborg", "Vi har vendt hierarkiet på hovedet."),
    ("proces", "Alle partier i Byrådet er repræsenteret"),
    ("proces", "Medvirker til at viden om og opbakning til velfærdsaftalen går på tværs af partier/udvalg."),
    ("proces", "Politikere har sat mål og retning - resten er overladt til ledere, medarbejdere, forældre og børn."),
    ("proces", "Koncentrat på én side - baseret på eksisterende politikker og strategier."),
    ("proces", "Modellen er fra Vives Midtvejsevaluering af velfærdsaftaler"),
    (
        "proces",
        "Udvikling af et mindre bureaukratisk tankesæt i kommunen - forvaltningen vil løsne grebet om institutionerne.",
    ),
    ("proces", "Markant reduktion i politikker (5 i alt)."),
    ("proces", "Et opgør med silotankegangen."),
    ("proces", "https://www.vive.dk/da/udgivelser/midtvejsevaluering-af-velfaerdsaftaler-0xg63gzk/"),
    ("ocr", "og inddrager dem aktivt."),
    ("ocr", "oplever, at vi giver dem reel"),
    ("ocr", "Innovation og erfaringsformidling"),
    ("ocr", "trivsel og motivation blandt medarbejdere"),
]

# The agreement's line-break artefacts and the whole words its slide version confirms.
DEHYPHENATED = {
    "arbejds gange": "arbejdsgange",
    "in-volvering": "involvering",
    "vidende-ling": "videndeling",
    "smidig-hed": "smidighed",
    "herun-der": "herunder",
    "samarbejds-kultur": "samarbejdskultur",
}

# The five quality themes: as the OCR scan spells them, and as the site spells them.
QUALITY_THEMES = {
    "UDVIKLENDE FIELI.ESSKABER": "Udviklende fællesskaber",
    "LEG, DANNELSE OG LERINGSMILI@": "Leg, dannelse og læringsmiljø",
    "INVOLVERING OG MEDBESTEMMELSE": "Involvering og medbestemmelse",
    "TRIVSEL OG TIDLIG INDSATS": "Trivsel og tidlig indsats",
    "SAMMENH/ENG OG SAMSKABELSE": "Sammenhæng og samskabelse",
}

# Lines of the clean sources that are deliberately not on the site word for word, and why.
# A value is either the fragments that carry the line, or None with the reason in a comment.
NOT_VERBATIM: dict[str, list[str] | None] = {
    # Title slide: the arrow is written as a dash in the page title.
    "velfærdsaftalen i rebild kommune → erfaringer og anbefalinger": [
        "velfærdsaftalen i rebild kommune",
        "erfaringer og anbefalinger",
    ],
    # Title of the quote slide; the story page uses the example list's title for the same story.
    "fri fra regel om sprogvurderinger af alle børn": ["fri fra kommunal regel om sprogvurderinger af alle børn"],
    # Typo on the Christiansborg slide ("Priorité"); the site shows the principle in the agreement's words.
    "find sammen nye kloge veje i opgaveløsningen ved at gentænke og eksperimentere systematisk med praksis. "
    "inddrag borgere og andre aktører i processerne. priorité tid til refleksion, løbende videndeling og "
    "læringsloops. frisættelse kræver en stærk læringskultur - vores samlede erfaring, viden og nysgerrighed vil "
    "kunne kvalificere det meste.": [
        "find sammen nye kloge veje i opgaveløsningen ved at gentænke",
        "tid til refleksion, løbende videndeling og læringsloops.",
    ],
    # Two text boxes of the contract slide extracted onto one line.
    "driftsvirksomhed og kommunalbestyrelsen. 1. fokusér på kerneopgaven": [
        "driftsvirksomhed og kommunalbestyrelsen.",
        "fokusér på kerneopgaven",
    ],
    # The contract slide's principle title lacks its opening quote; the site links the principle by its title.
    "og sæt plejer-kulturen' under lup": ["og sæt 'plejer-kulturen' under lup"],
    # Print-shop logo on the pamphlet's colophon page (the printer itself is named under "Tryk").
    "pureprint™ by kls": None,
    "proceseret i samarbejde med": None,
    "af kls pureprint a/s": ["kls pureprint a/s"],
}


def normalise(text: str) -> str:
    """Whitespace collapsed and typographic quotes made plain, so only the words are compared."""
    text = re.sub(r"[“”„]", '"', text)
    text = re.sub(r"[‘’]", "'", text)
    return re.sub(r"\s+", " ", text).strip()


@cache
def seed(name: str) -> str:
    return normalise((SEEDS / SEED_FILES[name]).read_text(encoding="utf-8"))


BLOCK_TAGS = (
    r"p|div|li|ul|ol|dl|dt|dd|h[1-6]|blockquote|table|thead|tbody|tr|td|th|br|hr|section|article|nav|details|summary"
)


def text_of(html: str) -> str:
    """Text as a reader sees it: block elements separate words, inline elements (em, a, strong) do not."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(rf"</?(?:{BLOCK_TAGS})\b[^>]*>", " ", html)
    html = re.sub(r"<[^>]+>", "", html)
    return normalise(html_lib.unescape(html))


def html_pages(site: Path) -> dict[str, str]:
    """Every built page (not 404, not a generated redirect), keyed by its path relative to the site."""
    pages = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        html = path.read_text(encoding="utf-8")
        if rel == "404.html" or 'http-equiv="refresh"' in html:
            continue
        pages[rel] = html
    return pages


@pytest.fixture(scope="module")
def site_text(built_site: Path) -> str:
    """The main text of every page, tags stripped, whitespace normalised."""
    return " ".join(text_of(article(html)) for html in html_pages(built_site).values())


def page_text(site: Path, rel: str) -> str:
    return text_of(article((site / rel).read_text(encoding="utf-8")))


@pytest.mark.parametrize(("source", "passage"), PASSAGES, ids=[f"{s}-{i}" for i, (s, _) in enumerate(PASSAGES)])
def test_passage_is_quoted_verbatim(site_text: str, source: str, passage: str) -> None:
    assert normalise(passage) in seed(source), f"passage is not in {SEED_FILES[source]}: {passage}"
    assert normalise(passage) in site_text, f"passage from {SEED_FILES[source]} is not on the site: {passage}"


def test_passages_cover_every_source_document() -> None:
    assert len(PASSAGES) >= 30
    assert {source for source, _ in PASSAGES} == set(SEED_FILES)


def _source_lines(name: str) -> list[str]:
    """The clean source's lines as the site should carry them: markup, bullets and line-break hyphens removed."""
    raw = (SEEDS / SEED_FILES[name]).read_text(encoding="utf-8")
    for broken, whole in DEHYPHENATED.items():
        raw = raw.replace(broken, whole)
    lines = []
    for line in raw.splitlines():
        line = line.replace("**", "").replace("*", "").replace("\t", " ")
        line = re.sub(r"^\s*(?:[-•●]\s*)+", "", line)  # bullets
        line = re.sub(r"^\d+\.?\s+(?=\D)", "", line)  # numbering of headings and list items
        line = re.sub(r"(\w)- (?!og\b|eller\b)(\w)", r"\1\2", line)  # words broken at a line end on a slide
        line = re.sub(r"(\w)-\s*$", r"\1", line)  # ... and at the end of this line
        line = normalise(line).rstrip(":").strip().casefold()
        if line:
            lines.append(line)
    return lines


@pytest.mark.parametrize("source", ["aftale", "kl", "christiansborg", "proces"])
def test_nothing_from_the_clean_sources_is_lost(site_text: str, source: str) -> None:
    """Every line of the clean documents is on the site (case aside), or listed in NOT_VERBATIM with a reason."""
    text = site_text.casefold()
    missing = []
    for line in _source_lines(source):
        if line in NOT_VERBATIM:
            carriers = NOT_VERBATIM[line] or []
            missing += [f"{line!r} -> {c!r}" for c in carriers if c not in text]
        elif line not in text:
            missing.append(line)
    assert not missing, "\n".join(missing)


def test_agreement_joins_line_break_hyphens(built_site: Path) -> None:
    text = page_text(built_site, "aftalen/index.html")
    slide = seed("christiansborg") + " " + seed("proces").replace("- ", "")
    for broken, whole in DEHYPHENATED.items():
        assert broken in seed("aftale")
        assert whole in slide, f"the slides do not confirm {whole!r}"
        assert broken not in text and whole in text


def test_agreement_states_period_and_links_every_principle_by_macro(built_site: Path) -> None:
    source = (ROOT / "docs" / "aftalen" / "index.md").read_text(encoding="utf-8")
    ids = ["kerneopgaven", "formaal-og-retning", "hverdagsinnovation", "frisaettende-ledelse", "borgernes-ressourcer"]
    for pid in ids:
        assert f"{{{{ princip('{pid}') }}}}" in source
    assert not re.search(r"\]\([^)]*principper/", source), "principles must be linked by macro, not by URL"
    html = (built_site / "aftalen" / "index.html").read_text(encoding="utf-8")
    links = set(parse_html(article(html)).links)
    assert {f"../principper/{pid}/" for pid in ids} <= links
    assert "Fra 1. november 2023 til 1. november 2027." in page_text(built_site, "aftalen/index.html")


def test_quality_themes_are_legible_and_marked_abridged(built_site: Path) -> None:
    source = (ROOT / "docs" / "proces" / "kvalitetstemaer.md").read_text(encoding="utf-8")
    assert re.search(r"^kilde: politisk-proces-ocr$", source, re.M)
    html = article((built_site / "proces" / "kvalitetstemaer" / "index.html").read_text(encoding="utf-8"))
    headings = [normalise(re.sub(r"<[^>]+>", "", h)) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)]
    for scanned, legible in QUALITY_THEMES.items():
        assert scanned in (SEEDS / SEED_FILES["ocr"]).read_text(encoding="utf-8")
        assert any(legible in h for h in headings), legible
    text = page_text(built_site, "proces/kvalitetstemaer/index.html")
    assert "Forkortet afskrift af en OCR-skanning" in text and "forkortet" in text


def test_practice_examples_link_to_the_five_stories(built_site: Path) -> None:
    html = article((built_site / "erfaringer" / "eksempler-fra-praksis" / "index.html").read_text(encoding="utf-8"))
    links = set(parse_html(html).links)
    for slug in (
        "fri-fra-laereplanen",
        "skolerne-oplever-en-forskel",
        "fri-fra-sprogvurderinger-af-alle-boern",
        "aendret-aabningstid",
        "foraeldreinvolvering-nye-organiseringer",
    ):
        assert f"../../historier/{slug}/" in links, slug


# Which document each section of the site is transcribed from.
SECTION_SOURCES = {
    "aftalen/": "aftalen",
    "proces/kvalitetstemaer/": "politisk-proces-ocr",
    "proces/": "politisk-proces",
    "erfaringer/": "christiansborg-2023",
    "baggrund/": "faelles-perspektiver",
}


def test_every_seed_page_names_its_source(built_site: Path) -> None:
    checked = 0
    for rel, html in html_pages(built_site).items():
        section = next((s for s in SECTION_SOURCES if rel.startswith(s)), None)
        if section is None:
            continue
        source = SOURCES[SECTION_SOURCES[section]]
        text = text_of(article(html))
        assert f"Kilde: {source.title}, {source.date}" in text, rel
        checked += 1
    assert checked >= 20


def built_path(src: str) -> str:
    """Where MkDocs writes a docs page with directory URLs: a/index.md and a/b.md -> a/index.html, a/b/index.html."""
    stem = src.removesuffix(".md")
    return ("" if stem == "index" else stem.removesuffix("/index") + "/") + "index.html"


def test_sources_point_at_built_pages(built_site: Path) -> None:
    for key, source in SOURCES.items():
        if source.page:
            assert (built_site / built_path(source.page)).exists(), (key, source.page)


def test_home_page_has_entry_points_quote_and_generated_stories(built_site: Path) -> None:
    html = article((built_site / "index.html").read_text(encoding="utf-8"))
    links = parse_html(html).links
    for target in ("historier/", "del-din-historie/", "om/kommunikation/", "aftalen/"):
        assert target in links, target
    text = text_of(html)
    assert "Formålet med at frisætte hele kommunen er at løfte kvaliteten af velfærden" in text
    from frisaettelse.pipeline import build_index

    newest = build_index(ROOT).newest(5)
    assert newest and all(f"historier/{s.slug}/" in links for s in newest)


def test_nothing_is_loaded_from_other_sites(built_site: Path) -> None:
    for rel, html in html_pages(built_site).items():
        for tag, attrs in parse_html(html).tags:
            url = attrs.get("src") or (attrs.get("href") if tag == "link" and attrs.get("rel") != "canonical" else "")
            assert not (url or "").startswith(("http:", "https:", "//")), (rel, tag, url)


def test_main_navigation_reads_in_the_agreed_order(built_site: Path) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('<nav class="md-nav md-nav--primary"') :]
    nav = re.sub(r'<nav class="md-nav md-nav--secondary".*?</nav>', "", nav, flags=re.S)  # the page's own toc
    labels = re.findall(
        r'<li class="md-nav__item[^"]*">\s*(?:<input[^>]*>\s*)?(?:<div[^>]*>\s*)?'
        r"<(?:a|label)[^>]*>\s*(?:<span[^>]*>)?\s*([^<]+?)\s*<",
        nav,
    )
    wanted = [
        "Forside",
        "Aftalen",
        "Principper",
        "Hegnspæle",
        "Historier",
        "Proces og styring",
        "Baggrund",
        "Del din historie",
        "Om sitet",
    ]
    remaining = iter(labels)
    assert all(w in remaining for w in wanted), labels


def _internal_targets(rel: str, html: str, site: Path) -> set[str]:
    """The built pages a page links to (relative links only, fragments and queries dropped)."""
    found = set()
    for href in parse_html(html).links:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path:
            continue
        target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), unquote(parts.path)))
        if href.split("#")[0].endswith("/") or (site / target).is_dir():
            target = posixpath.join(target, "index.html")
        found.add(target.removeprefix("./"))
    return found


def test_every_page_is_reachable_from_the_home_page(built_site: Path) -> None:
    pages = html_pages(built_site)
    seen, queue = {"index.html"}, ["index.html"]
    while queue:
        rel = queue.pop()
        for target in _internal_targets(rel, pages[rel], built_site):
            if target in pages and target not in seen:
                seen.add(target)
                queue.append(target)
    # A filter value without stories keeps its page (its address lasts), but the filter does not link to an empty
    # list (it shows the value with "(0)"): those pages are reached by their address only.
    empty = {f"{p.src_uri.removesuffix('.md')}/index.html" for p in real_browse().pages if p.total == 0}
    orphans = sorted(set(pages) - seen - empty)
    assert not orphans, f"pages no link leads to: {orphans}"
    assert len(seen) >= 40


@pytest.mark.browser
def test_home_page_fits_a_phone_and_shows_the_three_entry_points(browser, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(site_url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    content = page.locator("article")
    for name in ("Læs historierne", "Del din historie", "Til kommunikation"):
        link = content.get_by_role("link", name=name, exact=True).first
        assert link.is_visible(), name
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375, name
    content.get_by_role("link", name="Læs historierne", exact=True).first.click()
    page.wait_for_url("**/historier/")
    page.close()
