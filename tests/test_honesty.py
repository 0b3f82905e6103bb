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
from helpers import ROOT, article, make_site, mkdocs_build, parse_html, visible_text

from frisaettelse.history import last_commit_dates
from frisaettelse.index import SiteIndex, Story, build_index
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
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SiteIndex]:
    """The real site plus one story linked by its teller and one sent in but linked by the editors."""
    tmp = tmp_path_factory.mktemp("honesty")
    site = make_site(tmp, "linked_by_teller", keep_cases=True)
    out = tmp / "out"
    result = mkdocs_build(site, out)
    assert result.returncode == 0, result.stderr[-3000:]
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


def test_story_pages_say_who_linked_their_principles_and_hegnspaele(mixed: tuple[Path, SiteIndex]) -> None:
    out, index = mixed
    for story in index.stories.values():
        html = page(out, story.url.rstrip("/"))
        for anchor, what, ids, table in (
            ("principper-for-historien", "principper", story.principles, index.principles),
            ("hegnspaele-for-historien", "hegnspæle", story.boundaries, index.boundaries),
        ):
            part = section(html, anchor)
            lead = part[: part.index("<ul")]
            who = "Redaktionen har knyttet" if story.linked_by_editors else "Fortælleren har selv knyttet"
            assert f"{who} historien til disse {what}." in text(lead), (story.slug, anchor)
            if story.linked_by_editors and story.source != "indsendt":
                assert "Kilden nævner dem ikke" in text(lead), story.slug
            linked = [text(re.search(r"<a\b.*?</a>", li, re.S).group(0)) for li in items(part)]  # then "– alle 3 …"
            assert linked == [table[i].title for i in ids], story.slug


def test_story_facts_mark_the_kind_of_rule_and_say_what_is_not_told(mixed: tuple[Path, SiteIndex]) -> None:
    out, index = mixed
    for story in index.stories.values():
        facts = page(out, story.url.rstrip("/"))
        facts = facts[facts.index('class="historie-fakta"') : facts.index("</dl>")]
        rows = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", facts, re.S))
        not_told = "Ikke oplyst" if story.source == "indsendt" else "Ikke oplyst i kilden"
        if story.tells_freed_from:
            kind = RULE_KIND_LABELS[story.freed_from_kind]
            own_word = story.freed_from.casefold().startswith(story.freed_from_kind)  # the source's word: no mark
            assert text(rows["Slags regel"]) == (kind if own_word else f"{kind} (valgt af {story.linked_by})")
        else:
            assert text(rows["Fri fra"]) == not_told and "Slags regel" not in rows
        if not story.tells_freed_to:
            assert text(rows["Fri til"]) == not_told
        elif story.source != "indsendt":  # no document says what anyone was freed to: the editors chose it
            assert text(rows["Fri til"]).endswith("valgt af redaktionen)"), story.slug
        day = danish_date(story.date)
        assert text(rows["Dato"]) == (day if story.source == "indsendt" else f"{day} (kildens dato)")
        assert not any("fortalt" in label.casefold() for label in rows), rows


def test_principle_and_hegnspael_pages_say_who_linked_each_story(mixed: tuple[Path, SiteIndex]) -> None:
    out, index = mixed
    checked = 0
    for concept in [*index.concepts("princip"), *index.concepts("hegnspæl")]:
        html = page(out, concept.src_uri.removesuffix(".md"))
        part = section(html, "historier")
        for story in index.stories_for(concept.kind, concept.id):
            [li] = [li for li in items(part) if f'href="../../historier/{story.slug}/"' in li]
            assert text(li).endswith(f"knyttet af {story.linked_by}"), (concept.id, story.slug)
            checked += 1
    assert checked >= 10


def test_every_card_on_every_listing_says_who_chose(mixed: tuple[Path, SiteIndex]) -> None:
    out, index = mixed
    by_title = {s.title: s for s in index.stories.values()}
    cards = 0
    for path in (out / "historier").rglob("index.html"):
        for card in re.findall(r'<li class="historiekort">.*?</li>', path.read_text(encoding="utf-8"), re.S):
            href = re.search(r'<h3[^>]*><a href="([^"]+)"', card).group(1)
            title = text(re.search(r"<h3.*?</h3>", card, re.S).group(0))
            story = index.stories[href.rstrip("/").split("/")[-1]]
            assert story.title == title
            rows = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", card, re.S))
            assert text(rows["Principper"]).endswith(f"(knyttet af {story.linked_by})"), (path, title)
            if "/hegnspael/" in path.as_posix():  # a hegnspæl's list names the hegnspæle, marked too
                assert text(rows["Hegnspæle"]).endswith(f"(knyttet af {story.linked_by})"), (path, title)
            own_word = story.freed_from.casefold().startswith(story.freed_from_kind)
            if story.tells_freed_from and not own_word:
                assert text(rows["Fri fra"]).endswith(f"valgt af {story.linked_by})"), (path, title)
            elif story.tells_freed_from:
                assert "valgt af" not in text(rows["Fri fra"]), (path, title)
            else:
                assert "valgt af" not in rows["Fri fra"] and "Ikke oplyst" in text(rows["Fri fra"])
            cards += 1
    assert cards >= 3 * len(by_title)


def test_filter_pages_for_a_link_say_who_chose(mixed: tuple[Path, SiteIndex]) -> None:
    out, index = mixed
    for folder in ("princip", "hegnspael", "regel"):
        for path in (out / "historier" / folder).glob("*/index.html"):
            intro = text(article(path.read_text(encoding="utf-8")).split('<nav class="historiefilter"')[0])
            assert "fortælleren selv eller redaktionen" in intro, path


def test_register_marks_every_entry_and_does_not_count_what_is_not_told(mixed: tuple[Path, SiteIndex]) -> None:
    out, index = mixed
    html = page(out, "historier/fri-fra")
    untold = section(html, "ikke-oplyst")
    told_part = html[: html.index('id="ikke-oplyst"')]
    for story in index.stories.values():
        link = f'href="../{story.slug}/"'
        if story.tells_freed_from:
            [li] = [li for li in items(told_part) if link in li]
            own_word = story.freed_from.casefold().startswith(story.freed_from_kind)
            assert (f"slags regel valgt af {story.linked_by}" in text(li)) != own_word, story.slug
            assert link not in untold
        else:
            assert link not in told_part and link in untold, story.slug
    for kind, _label in RULE_KIND_LABELS.items():
        count = sum(1 for s in index.stories.values() if s.freed_from_kind == kind)
        if count:
            assert f"({count} historie{'r' if count > 1 else ''})" in text(told_part), kind
    untold_count = sum(1 for s in index.stories.values() if not s.tells_freed_from)
    assert text(untold).count("ikke oplyst") == untold_count


def test_coverage_says_how_many_links_the_editors_made(mixed: tuple[Path, SiteIndex]) -> None:
    out, index = mixed
    html = page(out, "historier/daekning")
    table = html[html.index('<table class="daekning">') : html.index("</table>")]
    principles = index.concepts("princip")
    for row in re.findall(r'<tr><th scope="row">(.*?)</tr>', table, re.S):
        area = text(re.search(r"<a[^>]*>(.*?)</a>", row).group(1)).lower()
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[: len(principles)]
        for concept, cell in zip(principles, cells, strict=False):
            stories = [s for s in index.stories.values() if s.area == area and concept.id in s.principles]
            editors = sum(1 for s in stories if s.linked_by_editors)
            if not stories:
                continue
            shown = text(cell)
            if editors == len(stories):
                assert shown == f"{len(stories)} (knyttet af redaktionen)", (area, concept.id)
            elif editors:
                assert shown == f"{len(stories)} (heraf {editors} knyttet af redaktionen)", (area, concept.id)
            else:
                assert shown == str(len(stories)), (area, concept.id)
    editors = sum(1 for s in index.stories.values() if s.linked_by_editors)
    assert f"Redaktionen har knyttet {editors} af de {len(index.stories)} historier" in text(html)


def test_counts_of_links_say_who_made_them(mixed: tuple[Path, SiteIndex]) -> None:
    out, index = mixed
    for url in ("", "principper", "hegnspaele"):
        html = article((out / url / "index.html").read_text(encoding="utf-8"))
        kind = "hegnspæl" if url == "hegnspaele" else "princip"
        for concept in index.concepts(kind):
            [li] = [li for li in items(html) if f"{concept.src_uri.removesuffix('.md').split('/')[-1]}/" in li]
            stories = index.stories_for(kind, concept.id)
            editors = sum(1 for s in stories if s.linked_by_editors)
            shown = text(li)
            if not stories:
                assert "knyttet" not in shown
            elif editors == len(stories):
                assert shown.endswith("knyttet af redaktionen)"), (url, concept.id)
            elif editors:
                assert shown.endswith(f"heraf {editors} knyttet af redaktionen)"), (url, concept.id)
            else:
                assert "knyttet af fortælle" in shown and "redaktionen" not in shown, (url, concept.id)


# --- dates ------------------------------------------------------------------------------------------------------------


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
