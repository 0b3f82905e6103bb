"""Every editorial judgment is shown as one: who linked a story to its principles, hegnspæle and kind of rule is
said wherever those links appear; what a source does not say is shown as not said; dates mean what they say.

Built for real (`mkdocs build --strict`) from the real stories plus two sent-in ones: one linked by its teller,
one by the editors, so every page type has links made by both.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
import subprocess
from pathlib import Path

import pytest
from helpers import ROOT, article, make_site, parse_html, visible_text

from frisaettelse.history import last_commit_dates
from frisaettelse.model import SiteIndex, Story
from frisaettelse.pipeline import build_index
from frisaettelse.problems import Problem
from frisaettelse.render import danish_date
from frisaettelse.schema import RULE_KIND_LABELS

KILDER = ROOT / "kilder"


# --- the rules that keep the data honest --------------------------------------------------------------------------


def test_not_told_in_one_field_but_told_in_the_other_is_refused(tmp_path: Path) -> None:
    problems = build_index(make_site(tmp_path, "not_told_half", keep_cases=True)).problems
    assert problems == [
        Problem(
            "cases/ikke-oplyst-halvt.md",
            9,
            "FM022",
            "Feltet 'fri_fra' siger 'ikke oplyst', men 'fri_fra_type' siger 'kommunal regel'.",
            "Skriv fri_fra_type: ikke oplyst – eller skriv i fri_fra, hvilken regel eller vane du blev sat fri fra.",
        )
    ]


def test_a_kind_of_rule_without_its_rule_is_refused(tmp_path: Path) -> None:
    site = make_site(tmp_path, "not_told_half", keep_cases=True)
    path = site / "cases" / "ikke-oplyst-halvt.md"
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace("fri_fra: Ikke oplyst", "fri_fra: Et skema")
        .replace("fri_fra_type: kommunal regel", "fri_fra_type: ikke oplyst"),
        encoding="utf-8",
    )
    assert build_index(site).problems == [
        Problem(
            "cases/ikke-oplyst-halvt.md",
            8,
            "FM022",
            "Feltet 'fri_fra_type' siger 'ikke oplyst', men 'fri_fra' nævner en regel: 'Et skema'.",
            "Vælg reglens slags i fri_fra_type (statslig regel, kommunal regel eller lokal vane) – eller skriv "
            "fri_fra: ikke oplyst.",
        )
    ]


def test_a_story_from_a_source_cannot_claim_its_teller_linked_it(tmp_path: Path) -> None:
    problems = build_index(make_site(tmp_path, "linked_by_teller_from_source", keep_cases=True)).problems
    assert problems == [
        Problem(
            "cases/fra-kilden.md",
            14,
            "FM023",
            "Historien er fra kilden 'christiansborg-2023', men 'koblet_af' siger 'fortælleren'. Kilden knytter ingen "
            "historie til principper eller hegnspæle.",
            "Skriv koblet_af: redaktionen, eller slet linjen.",
        )
    ]


def test_an_unknown_linked_by_value_names_the_choices(tmp_path: Path) -> None:
    site = make_site(tmp_path, "linked_by_teller", keep_cases=True)
    path = site / "cases" / "fri-fra-skemaet-redaktionen.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("koblet_af: redaktionen", "koblet_af: redaktør"), encoding="utf-8"
    )
    [problem] = build_index(site).problems
    assert (problem.code, problem.line, problem.message) == (
        "FM010",
        14,
        "Ugyldig værdi 'redaktør' i feltet 'koblet_af'.",
    )
    assert problem.hint == "Mente du 'redaktionen'?"


def test_who_linked_defaults_to_the_teller_only_for_stories_sent_in(tmp_path: Path) -> None:
    index = build_index(make_site(tmp_path, "linked_by_teller", keep_cases=True))
    assert index.stories["fri-fra-morgenmoedet"].linked_by == "fortælleren"  # no koblet_af, sent in
    assert index.stories["fri-fra-skemaet-redaktionen"].linked_by == "redaktionen"  # said so
    from_sources = [s for s in index.stories.values() if s.source != "indsendt"]
    assert len(from_sources) == 5 and all(s.linked_by == "redaktionen" for s in from_sources)


# --- what the sources say, and only that ---------------------------------------------------------------------------


def _plain(text: str) -> str:
    text = re.sub(r"[“”„\"]", "", text)
    text = re.sub(r"[‘’']", "'", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


SOURCE_FILES = {"christiansborg-2023": "erfaringer-og-anbefalinger-christiansborg-2023.txt"}


@pytest.mark.parametrize(
    "story", [s for s in build_index(ROOT).stories.values() if s.source != "indsendt"], ids=lambda s: s.slug
)
def test_what_a_source_story_was_freed_from_and_to_is_in_its_source(story: Story) -> None:
    """Told 'fri fra' and 'fri til' are the source's own words; otherwise the story says 'ikke oplyst'."""
    source = _plain((KILDER / SOURCE_FILES[story.source]).read_text(encoding="utf-8"))
    if story.tells_freed_from:
        assert _plain(story.freed_from) in source, story.freed_from
    else:
        assert story.freed_from.casefold() == "ikke oplyst"
    if story.tells_freed_to:  # a sentence of the quote, or a part of one with the cut marked
        for part in _plain(story.freed_to).split("[…]"):
            assert part.strip().rstrip(".") in source, story.freed_to


def test_the_repository_refers_to_no_folder_outside_it() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    offenders = []
    for name in tracked.split():
        path = ROOT / name
        if path.suffix in (".py", ".md", ".yml", ".yaml", ".toml", ".txt", ".cfg", ".html", ".sh") or name.startswith(
            "scripts/"
        ):
            text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
            if ("/work/" in text or "shared/seeds" in text) and name != "tests/test_honesty.py":
                offenders.append(name)
    assert not offenders, offenders


def test_every_source_file_is_described_in_kilder_and_listed_on_the_about_page(built_site: Path) -> None:
    readme = (KILDER / "README.md").read_text(encoding="utf-8")
    about = visible_text(article((built_site / "om" / "index.html").read_text(encoding="utf-8")))
    files = sorted(p.name for p in KILDER.glob("*.txt"))
    assert len(files) == 5
    for name in files:
        assert f"`{name}`" in readme, name
        assert f"kilder/{name}" in about, name


# --- the built pages ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mixed(copy_site: tuple[Path, Path, object]) -> tuple[Path, SiteIndex]:
    """The copy of the site with one story linked by its teller and one sent in but linked by the editors."""
    site, out, _ = copy_site
    index = build_index(site)
    assert {s.linked_by for s in index.stories.values()} == {"fortælleren", "redaktionen"}
    return out, index


def page(out: Path, url: str) -> str:
    return article((out / url / "index.html").read_text(encoding="utf-8"))


def section(html: str, anchor: str) -> str:
    """From the heading with this id to the next h2."""
    start = html.index(f'id="{anchor}"')
    end = html.find("<h2", start)
    return html[start:] if end < 0 else html[start:end]


def items(html: str) -> list[str]:
    return re.findall(r"<li\b.*?</li>", html, re.S)


def text(html: str) -> str:
    return html_lib.unescape(visible_text(html))


def inset_text(html: str) -> list[str]:
    """The editors' note (inset text): said once on a page that shows links."""
    return [text(m) for m in re.findall(r'<div class="indskudt">(.*?)</div>', html, re.S)]


def outside_inset(html: str) -> str:
    """The page's text without its inset and without addresses (a story's file name may say 'redaktionen')."""
    return re.sub(r"\S*/\S*", "", text(re.sub(r'<div class="indskudt">.*?</div>', "", html, flags=re.S)))


def test_story_pages_say_once_who_linked_their_principles_hegnspaele_and_kind_of_rule(
    mixed: tuple[Path, SiteIndex],
) -> None:
    out, index = mixed
    for story in index.stories.values():
        html = page(out, story.url.rstrip("/"))
        [note] = inset_text(section(html, "sammenhaeng"))
        who = "Redaktionen har knyttet" if story.linked_by_editors else "Fortælleren har selv knyttet"
        assert note.startswith(f"{who} historien til principperne og hegnspælene"), story.slug
        own_word = story.freed_from.casefold().startswith(story.freed_from_kind)  # the source's word: no choice
        assert ("slags regel" in note) == (story.tells_freed_from and not own_word)
        assert ("emneordene" in note) == bool(story.tags)
        if story.linked_by_editors and story.source != "indsendt":
            assert "Kilden nævner dem ikke" in note, story.slug
        # Said once; the one other mark is a "fri til" sentence the editors chose from the quote, at the sentence.
        outside = outside_inset(html).lower().replace("(sætning fra citatet, valgt af redaktionen)", "")
        assert "redaktion" not in outside, story.slug
        for anchor, ids, table in (
            ("principper-for-historien", story.principles, index.principles),
            ("hegnspaele-for-historien", story.boundaries, index.boundaries),
        ):
            part = section(html, anchor)
            part = part[: part.find("<h3", 10)] if "<h3" in part[10:] else part
            linked = [text(re.search(r"<a\b.*?</a>", li, re.S).group(0)) for li in items(part)]  # then "– alle 3 …"
            assert linked == [table[i].title for i in ids], story.slug


def test_story_facts_say_what_is_not_told_and_the_kind_of_rule_sits_with_the_links(
    mixed: tuple[Path, SiteIndex],
) -> None:
    out, index = mixed
    for story in index.stories.values():
        html = page(out, story.url.rstrip("/"))
        facts = html[html.index('class="historie-fakta"') : html.index("</dl>")]
        rows = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", facts, re.S))
        not_told = "Ikke oplyst" if story.source == "indsendt" else "Ikke oplyst i kilden"
        assert "Slags regel" not in rows
        if story.tells_freed_from:
            kind = section(html, "slags-regel")
            assert text(re.search(r"<li>.*?</li>", kind, re.S).group(0)) == RULE_KIND_LABELS[story.freed_from_kind]
        else:
            assert text(rows["Fri fra"]) == not_told and 'id="slags-regel"' not in html
        if not story.tells_freed_to:
            assert text(rows["Fri til"]) == not_told
        elif story.source != "indsendt":  # no document says what anyone was freed to: the editors chose it
            assert text(rows["Fri til"]).endswith("valgt af redaktionen)"), story.slug
        day = danish_date(story.date)
        assert text(rows["Dato"]) == (day if story.source == "indsendt" else f"{day} (kildens dato)")
        assert not any("fortalt" in label.casefold() for label in rows), rows


def _cards(html: str) -> dict[str, str]:
    """Story slug -> the card's text, for every story card on a page."""
    return {
        re.search(r'<h3[^>]*><a href="([^"]+)"', card).group(1).rstrip("/").split("/")[-1]: text(card)
        for card in re.findall(r'<li class="historiekort">.*?</li>', html, re.S)
    }


def test_principle_and_hegnspael_pages_say_once_who_linked_and_mark_the_exceptions(
    mixed: tuple[Path, SiteIndex],
) -> None:
    out, index = mixed
    checked = 0
    for concept in [*index.concepts("princip"), *index.concepts("hegnspæl")]:
        html = page(out, concept.src_uri.removesuffix(".md"))
        part = section(html, "historier")
        stories = index.stories_for(concept.kind, concept.id)
        cards = _cards(part)
        assert set(cards) == {s.slug for s in stories[:25]}
        if stories:
            [note] = inset_text(part)
            assert note.startswith("Redaktionen" if any(s.linked_by_editors for s in stories) else "Fortællerne")
        for story in stories:
            assert cards[story.slug].endswith("knyttet af fortælleren") != story.linked_by_editors, story.slug
            assert "redaktion" not in cards[story.slug]
            checked += 1
    assert checked >= 10


def test_cards_carry_no_caveat_and_listings_built_on_links_say_it_once(mixed: tuple[Path, SiteIndex]) -> None:
    out, index = mixed
    cards = 0
    for path in (out / "historier").rglob("index.html"):
        html = article(path.read_text(encoding="utf-8"))
        found = _cards(html)
        on_links = any(f"/{k}/" in path.as_posix() for k in ("princip", "hegnspael", "regel"))
        on_tags = "/emneord/" in path.as_posix() and path.parent.name != "emneord"
        for slug, card in found.items():
            story = index.stories[slug]
            assert story.title in card and "redaktion" not in card, (path, slug)
            assert ("af fortælleren" in card) == (on_links and not story.linked_by_editors), (path, slug)
            cards += 1
        if found:
            assert len(inset_text(html)) == (1 if on_links or on_tags else 0), path
            assert "redaktion" not in outside_inset(html).lower(), path
    assert cards >= 3 * len(index.stories)


def test_register_says_once_who_chose_and_does_not_count_what_is_not_told(mixed: tuple[Path, SiteIndex]) -> None:
    out, index = mixed
    html = page(out, "historier/fri-fra")
    untold = section(html, "ikke-oplyst")
    told_part = html[: html.index('id="ikke-oplyst"')]
    [note] = inset_text(html)
    assert note.startswith("Redaktionen har valgt slags regel") and "«valgt af fortælleren»" in note
    for story in index.stories.values():
        link = f'href="../{story.slug}/"'
        if story.tells_freed_from:
            [li] = [li for li in items(told_part) if link in li]
            assert text(li).startswith(story.freed_from), story.slug  # the rule once, as the link to its story
            assert text(li).endswith("valgt af fortælleren") != story.linked_by_editors, story.slug
            assert link not in untold
        else:
            assert link not in told_part and link in untold, story.slug
    untold_count = sum(1 for s in index.stories.values() if not s.tells_freed_from)
    assert len(items(untold)) == untold_count


def test_coverage_cells_are_numbers_and_the_page_says_once_who_linked(mixed: tuple[Path, SiteIndex]) -> None:
    out, index = mixed
    html = page(out, "historier/daekning")
    table = html[html.index('<table class="daekning">') : html.index("</table>")]
    principles = index.concepts("princip")
    for row in re.findall(r'<tr><th scope="row">(.*?)</tr>', table, re.S):
        area = text(re.search(r"<a[^>]*>(.*?)</a>", row).group(1)).lower()
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[: len(principles)]
        for concept, cell in zip(principles, cells, strict=False):
            stories = [s for s in index.stories.values() if s.area == area and concept.id in s.principles]
            if stories:
                assert text(cell) == str(len(stories)), (area, concept.id)
    editors = sum(1 for s in index.stories.values() if s.linked_by_editors)
    [note] = inset_text(html)
    assert "Redaktionen har knyttet" in note and (str(editors) in note or editors == len(index.stories))
    assert "redaktion" not in outside_inset(html).lower()


def test_counts_of_links_mark_only_the_tellers(mixed: tuple[Path, SiteIndex]) -> None:
    out, index = mixed
    for url in ("", "principper", "hegnspaele"):
        html = article((out / url / "index.html").read_text(encoding="utf-8"))
        kind = "hegnspæl" if url == "hegnspaele" else "princip"
        assert len(inset_text(html)) == 1, url
        for concept in index.concepts(kind):
            [li] = [li for li in items(html) if f"{concept.src_uri.removesuffix('.md').split('/')[-1]}/" in li]
            stories = index.stories_for(kind, concept.id)
            tellers = sum(1 for s in stories if not s.linked_by_editors)
            shown = text(li)
            assert "redaktion" not in shown, (url, concept.id)
            if tellers and tellers < len(stories):
                assert "knyttet af fortælle" in shown, (url, concept.id)


def test_last_updated_comes_from_the_files_git_history(tmp_path: Path) -> None:
    """One `git log` for the folder gives each file its own last commit, not the story's date."""
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
    }

    def git(*args: str, when: str | None = None) -> None:
        extra = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when} if when else {}
        subprocess.run(["git", *args], cwd=tmp_path, env={**env, **extra}, check=True, capture_output=True)

    cases = tmp_path / "cases"
    cases.mkdir()
    git("init", "-q")
    (cases / "a.md").write_text("a", encoding="utf-8")
    (cases / "ændret.md").write_text("b", encoding="utf-8")
    git("add", ".")
    git("commit", "-q", "-m", "one", when="2024-01-05T12:00:00+01:00")
    (cases / "a.md").write_text("a2", encoding="utf-8")
    git("commit", "-q", "-am", "two", when="2024-03-09T12:00:00+01:00")
    (cases / "ny.md").write_text("c", encoding="utf-8")  # not committed: the build date, as the git plugin does
    dates = last_commit_dates(cases)
    assert dates == {
        (cases / "a.md").resolve(): dt.date(2024, 3, 9),
        (cases / "ændret.md").resolve(): dt.date(2024, 1, 5),
    }
    assert last_commit_dates(tmp_path / "findes-ikke") == {}


def test_outside_git_no_page_shows_a_last_updated_date(mixed: tuple[Path, SiteIndex]) -> None:
    out, index = mixed  # the copy is not a git repository: nothing to date a page by, so no date (not the build's)
    for story in index.stories.values():
        whole = (out / story.url / "index.html").read_text(encoding="utf-8")
        assert "Sidst opdateret:" not in visible_text(whole)
    links = parse_html(page(out, "om")).links
    assert any(link.endswith("/tree/main/kilder") for link in links)
