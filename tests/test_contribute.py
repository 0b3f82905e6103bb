"""Contributor paths end to end: the guide, the scaffold, the issue form and its converter, edit links. The commands
run in this process (`helpers.run_cli`) on a tiny project; the converter's rules are rows, checked in memory."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from helpers import (
    FIXTURES,
    ROOT,
    article,
    index_with,
    make_site,
    mkdocs_build,
    parse_html,
    real_index,
    reported,
    run_cli,
    tiny_project,
)

from frisaettelse.issue_form import FORM_PATH, NOT_ASKED, convert, form_definition, form_yaml, options
from frisaettelse.problems import Code, Problem
from frisaettelse.scaffold import case_text, scalar
from frisaettelse.schema import STORY_FIELDS, STORY_KEYS
from frisaettelse.validate import GUIDE

ISSUES = FIXTURES / "issues"
GYLDIG = (ISSUES / "gyldig.md").read_text(encoding="utf-8")


def from_issue(site: Path, body: str | bytes, *args: str) -> tuple[int, str, str]:
    """`fra-issue` on `site` with the issue on standard input."""
    return run_cli("fra-issue", "--projekt", str(site), *args, stdin=body)


def judged(tmp_path: Path, name: str, text: str) -> list[str]:
    """What the checker says about one story file next to the real stories (in memory, no build)."""
    index = index_with(tmp_path / "judged", {name: text})
    return [reported(p.format("")) for p in index.problems if p.path == f"cases/{name}"]


def guide(built_site: Path) -> str:
    """The contributor start page ("Del din historie")."""
    return (built_site / "del-din-historie" / "index.html").read_text(encoding="utf-8")


def reference(built_site: Path) -> str:
    """The contributor reference: fields, template, examples and error codes."""
    return (built_site / "bidrag" / "felter-og-fejlkoder" / "index.html").read_text(encoding="utf-8")


# --- the guide page --------------------------------------------------------------------------------------------


def test_every_code_has_its_anchor_and_every_message_links_to_it(built_site: Path) -> None:
    html = reference(built_site)
    for code in Code:
        url = Problem("cases/x.md", 1, code, "…").guide_url()
        page, anchor = url.split("#")
        assert page.endswith("/bidrag/felter-og-fejlkoder/") and anchor == code.lower()
        heading = re.search(rf'<h3 id="{anchor}">(.*?)</h3>', html, re.DOTALL)
        assert heading, code
        assert f"{code}: {GUIDE[code]['title']}" in heading.group(1)
    assert "Sådan retter du det:" in html


def test_the_guide_explains_every_field_from_the_schema(built_site: Path) -> None:
    text = article(reference(built_site))
    for spec in STORY_FIELDS:
        assert f"<code>{spec.key}</code>" in text, spec.key
        assert spec.help.split(".")[0] in text, spec.key
    for concept in [*real_index().concepts("princip"), *real_index().concepts("hegnspæl")]:
        assert f"<code>{concept.id}</code>" in text


def test_the_guide_links_example_stories_the_form_and_the_editor(built_site: Path) -> None:
    examples = parse_html(article(reference(built_site))).links
    kinds = [
        k
        for k in ("statslig regel", "kommunal regel", "lokal vane")
        if any(s.freed_from_kind == k for s in real_index().stories.values())
    ]
    assert kinds
    for kind in kinds:  # one example per kind a story tells (none of the real stories is a local habit)
        story = next(s for s in real_index().newest() if s.freed_from_kind == kind)
        assert f"../../historier/{story.slug}/" in examples, kind
    links = parse_html(article(guide(built_site))).links
    assert "https://github.com/rebild-kommune/frisaettelse/issues/new?template=ny-historie.yml" in links
    assert "https://github.com/rebild-kommune/frisaettelse/tree/main/cases" in links


def test_the_guide_examples_are_picked_from_the_index_and_survive_no_stories(tmp_path: Path) -> None:
    """Examples are picked from the index, so they follow renames and a site without stories has a kind text."""
    from frisaettelse.guide import examples
    from frisaettelse.model import SiteIndex

    assert (
        examples(SiteIndex(root=tmp_path), "del-din-historie.md")
        == "*Der er ingen historier endnu – din kan blive den første.*\n"
    )
    assert "../historier/aendret-aabningstid/" not in examples(SiteIndex(root=tmp_path), "del-din-historie.md")
    picked = examples(real_index(), "del-din-historie.md")
    assert all(f"historier/{s.slug}.md" in picked for s in real_index().stories.values() if s.slug in picked)


def test_the_guide_shows_the_scaffold_template(built_site: Path) -> None:
    text = parse_html(article(reference(built_site))).text
    joined = "".join(text)
    assert "samtykke:" in joined and "# Samtykke: Bekræft" in joined and "Skriv historien her" in joined


def test_del_din_historie_is_a_top_level_navigation_entry(built_site: Path) -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert {"Del din historie": "del-din-historie.md"} in config["nav"]
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="del-din-historie/"[^>]*>\s*(<span[^>]*>)?\s*Del din historie', home)


def test_contributing_points_to_the_guide_and_its_anchors_exist(built_site: Path) -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for page, anchor in re.findall(r"/(del-din-historie|bidrag/felter-og-fejlkoder)/#([a-z0-9-]+)", text):
        html = guide(built_site) if page == "del-din-historie" else reference(built_site)
        assert f'id="{anchor}"' in html, anchor
    assert "samtykke indhentet" in text and "anonymiseret" in text


# --- edit links and no GitHub API ----------------------------------------------------------------------------


def edit_link(html: str) -> tuple[str, str]:
    match = re.search(r'<a href="([^"]+)" class="ret-siden" rel="edit">(.*?)</a>', html, re.DOTALL)
    assert match, "no edit link"
    return match.group(1), re.sub(r"<[^>]+>|\s+", " ", match.group(2)).strip()


def test_story_pages_edit_their_file_in_cases(built_site: Path) -> None:
    for story in real_index().stories.values():
        html = (built_site / story.url / "index.html").read_text(encoding="utf-8")
        href, text = edit_link(html)
        assert href == f"https://github.com/rebild-kommune/frisaettelse/edit/main/cases/{story.abs_path.name}"
        assert text == "Ret siden på GitHub"


def test_docs_pages_edit_their_source_in_docs(built_site: Path) -> None:
    docs = ROOT / "docs"
    # Pages whose source is mostly a macro call say `rediger: false` and have no edit link (tests/test_look.py).
    pages = [p for p in docs.rglob("*.md") if "\nrediger: false\n" not in p.read_text(encoding="utf-8")]
    assert len(pages) >= 10
    for source in pages:
        rel = source.relative_to(docs).as_posix()
        url = rel[:-3].removesuffix("index").rstrip("/")
        html = ((built_site / url) / "index.html").read_text(encoding="utf-8")
        href, text = edit_link(html)
        assert href == f"https://github.com/rebild-kommune/frisaettelse/edit/main/docs/{rel}", rel
        assert text == "Ret siden på GitHub"


def test_no_page_makes_the_browser_call_github(built_site: Path) -> None:
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "api.github.com" not in html, page
        assert 'data-md-component="source"' not in html, page
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert '<a href="https://github.com/rebild-kommune/frisaettelse">Kildekode på GitHub</a>' in home


@pytest.mark.browser
def test_pages_request_nothing_but_the_site_itself(site_url: str, browser) -> None:
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    for path in ("", "del-din-historie/", "historier/aendret-aabningstid/"):
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
    assert requests and all(url.startswith(site_url) or url.startswith("data:") for url in requests), [
        u for u in requests if not u.startswith(site_url)
    ]
    link = page.get_by_role("link", name="Ret siden på GitHub")
    assert link.get_attribute("href").endswith("/edit/main/cases/aendret-aabningstid.md")
    page.close()


# --- scaffold --------------------------------------------------------------------------------------------------


def test_scaffold_writes_every_field_with_a_comment_and_names_the_path(tmp_path: Path) -> None:
    site = tiny_project(tmp_path)
    code, out, err = run_cli("ny", "Fri fra: morgenmødet på Åbakken", "--root", str(site))
    assert code == 0, err
    assert "Historien er oprettet: cases/fri-fra-morgenmoedet-paa-aabakken.md" in out
    assert "Adressen bliver: historier/fri-fra-morgenmoedet-paa-aabakken/" in out
    text = (site / "cases" / "fri-fra-morgenmoedet-paa-aabakken.md").read_text(encoding="utf-8")
    for spec in STORY_FIELDS:
        assert re.search(rf"^{spec.key}:", text, re.MULTILINE), spec.key
        assert f"# {spec.label}: {spec.help}" in text
    assert 'title: "Fri fra: morgenmødet på Åbakken"' in text
    assert f"dato: {dt.date.today().isoformat()}" in text
    to_fill = ("description", "omraade", "principper", "hegnspaele", "fri_fra", "fri_fra_type", "fri_til")
    to_fill += ("citat_rolle", "samtykke")
    said = [line.split(": ", 1)[1] for line in judged(tmp_path, "fri-fra-skemaet.md", text)]
    assert said[:-1] == [
        f"FM007 Det påkrævede felt '{k}' ({STORY_KEYS[k].label}) mangler. Tilføj fx: {k}: {STORY_KEYS[k].example}"
        for k in to_fill
    ]  # only what the contributor must fill in
    assert said[-1].startswith("FM070 ")  # the body still says what the scaffold wrote


# The guide's template writes no date: the contributor fills it in like every other empty field (FILLED below).
TEMPLATE_DATE = {"dato:": "dato: 2024-03-01"}
OWN_BODY = '> "Vi fik mere tid til eleverne."\n>\n> — Lærer, Rebild Kommune'


def the_guides_template() -> str:
    """The copyable template on "Felter og fejlbeskeder", every empty field filled in, the placeholders kept."""
    from frisaettelse.guide import template

    text = template(real_index()).removeprefix("```yaml\n").removesuffix("```\n")
    filled = {**FILLED, **TEMPLATE_DATE}
    return "\n".join(filled.get(line, line) for line in text.split("\n"))


def story_problems(tmp_path: Path, text: str, *, readable: bool = True) -> list[tuple[int, str]]:
    """(line, code) of every problem the story rules find in one file (no site, no build)."""
    from frisaettelse.load import parse_document
    from frisaettelse.validate import STORY_RULES, Context, validate_documents

    index = real_index()
    path = tmp_path / "historie.md"
    path.write_text(text, encoding="utf-8")
    doc, problems = parse_document(path, "cases/historie.md")
    assert doc is not None or not readable, problems
    ctx = Context(tuple(sorted(index.principles)), tuple(sorted(index.boundaries)))
    return [(p.line, p.code) for p in [*problems, *validate_documents([doc] if doc else [], STORY_RULES, ctx)]]


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if line.startswith(start))


def valid_from_template() -> str:
    """The guide's template as a contributor finishes it: own title, own story."""
    text = re.sub(r"^Skriv historien her.*$", OWN_BODY, the_guides_template(), flags=re.MULTILINE)
    return text.replace("title: Titel på historien\n", "title: Fri fra det faste skema\n")


PLACEHOLDER_CASES: list[tuple[str, str, bool]] = [
    # (start of the line changed in the valid story, the line instead, refused with FM070 at that line)
    ("title:", "title: Fri fra det faste skema", False),
    ("title:", "title: titel på historien", True),
    ("title:", 'title: "Titel  på historien."', True),
    ("title:", "title: „Titel på historien“", True),
    ("title:", "title: Titel på historien om skemaet", False),
    ('> "Vi fik', "Skriv historien her: Hvad var I bundet af før?", True),
    ('> "Vi fik', "SKRIV HISTORIEN HER", True),
    ('> "Vi fik', '> "Det, vi oplevede, var …"', True),
    ('> "Vi fik', "<!-- Det, vi oplevede, var … -->", False),
]


@pytest.mark.parametrize(("old", "new", "refused"), PLACEHOLDER_CASES)
def test_every_placeholder_is_refused_until_changed(tmp_path: Path, old: str, new: str, refused: bool) -> None:
    text = valid_from_template()
    assert story_problems(tmp_path, text) == []
    text = re.sub(rf"^{re.escape(old)}.*$", lambda _: new, text, count=1, flags=re.MULTILINE)
    expected = [(line_of(text, new), "FM070")] if refused else []
    assert story_problems(tmp_path, text) == expected


def test_the_guides_template_unchanged_is_refused_for_each_placeholder(tmp_path: Path) -> None:
    text = the_guides_template()
    assert story_problems(tmp_path, text) == [(line_of(text, "title:"), "FM070"), (line_of(text, "Skriv"), "FM070")]


def test_the_example_quote_in_the_templates_comment_is_not_shown_and_not_refused(tmp_path: Path) -> None:
    text = valid_from_template()
    assert "<!--" in text and "Det, vi oplevede, var …" in text
    assert story_problems(tmp_path, text) == []


@pytest.mark.usefixtures("real_concepts")
def test_scaffold_refuses_to_overwrite_in_danish(tmp_path: Path) -> None:
    site = tiny_project(tmp_path, {"fri-fra-skemaet.md": "x"})
    code, _, err = run_cli("ny", "Fri fra skemaet", "--root", str(site))
    assert code == 1
    assert err.strip() == (
        "Filen cases/fri-fra-skemaet.md findes allerede, og den må ikke overskrives. "
        "Vælg en anden titel, eller ret i den eksisterende fil."
    )
    assert (site / "cases" / "fri-fra-skemaet.md").read_text() == "x"
    assert run_cli("ny", "Fri Fra Skemaet!", "--root", str(site))[0] == 1  # another spelling of the same address


@pytest.mark.usefixtures("real_concepts")
@pytest.mark.parametrize("title", ["", "\udcff\udcfe", "Fri fra \udce6 skemaet"])
def test_scaffold_without_a_readable_title_explains_how_and_leaves_no_file(tmp_path: Path, title: str) -> None:
    site = tiny_project(tmp_path)
    code, _, err = run_cli("ny", *([title] if title else []), "--root", str(site))
    assert code == 1 and list((site / "cases").iterdir()) == []
    assert err.strip().endswith('python -m frisaettelse ny "Fri fra skemaet"' if not title else "bagefter.")
    assert title == "" or "UTF-8" in err


FILLED = {
    "description:": "description: Mere tid til eleverne, når skemaet ikke styrer alt.",
    "omraade:": "omraade: skole",
    "principper:": "principper: [kerneopgaven]",
    "hegnspaele:": "hegnspaele: [retssikkerhed]",
    "fri_fra:": "fri_fra: Det faste skema",
    "fri_fra_type:": "fri_fra_type: lokal vane",
    "fri_til:": "fri_til: Mere tid til eleverne.",
    "citat_rolle:": "citat_rolle: Lærer, Rebild Kommune",
    "samtykke:": "samtykke: anonymiseret",
}


def fill_in(path: Path) -> None:
    """What a contributor does with the scaffolded file: fill in the empty fields and write the story."""
    lines = path.read_text(encoding="utf-8").split("\n")
    lines = [FILLED.get(line, line) for line in lines]
    text = "\n".join(lines)
    text = re.sub(
        r"^Skriv historien her.*$",
        '> "Vi fik mere tid til eleverne."\n>\n> — Lærer, Rebild Kommune',
        text,
        flags=re.MULTILINE,
    )
    path.write_text(text, encoding="utf-8")


@pytest.mark.langsom  # a real build of its own
def test_both_contributor_paths_end_to_end(tmp_path: Path) -> None:
    """scaffold → fill in; issue-form body → converter; the strict build (= tjek) passes and shows both pages."""
    site = make_site(tmp_path, keep_cases=True)
    assert run_cli("ny", "Fri fra det faste skema", "--root", str(site))[0] == 0
    fill_in(site / "cases" / "fri-fra-det-faste-skema.md")
    assert from_issue(site, GYLDIG)[1] == "cases/fri-fra-det-faste-morgenmoede.md\n"
    result = mkdocs_build(site, tmp_path / "out")
    assert result.returncode == 0, result.stderr[-3000:]
    scaffolded = (tmp_path / "out" / "historier" / "fri-fra-det-faste-skema" / "index.html").read_text(encoding="utf-8")
    assert "<h1" in scaffolded and "Fri fra det faste skema" in scaffolded
    assert "Vi fik mere tid til eleverne." in scaffolded
    from_form = (tmp_path / "out" / "historier" / "fri-fra-det-faste-morgenmoede" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "Fri fra det faste morgenmøde" in from_form
    assert "Nu mødes vi, når der er noget at tale om." in from_form
    assert from_form.count("edit/main/cases/fri-fra-det-faste-morgenmoede.md") == 1


# --- issue form and converter ----------------------------------------------------------------------------------


def test_committed_issue_form_is_generated_from_the_schema() -> None:
    committed = (ROOT / FORM_PATH).read_text(encoding="utf-8")
    assert committed == form_yaml(real_index()), "Kør: python -m frisaettelse issue-formular --skriv"


def test_issue_form_asks_for_every_schema_field_with_the_schema_choices() -> None:
    form = form_definition(real_index())
    elements = {e["id"]: e for e in form["body"] if "id" in e}
    assert [k for k in elements if k in STORY_KEYS] == [f.key for f in STORY_FIELDS if f.key not in NOT_ASKED]
    for key in ("omraade", "principper", "hegnspaele", "fri_fra_type", "samtykke"):
        assert elements[key]["type"] == "dropdown"
        values = [value for value, _ in options(STORY_KEYS[key], real_index())]
        expected = {"principper": sorted(real_index().principles), "hegnspaele": sorted(real_index().boundaries)}.get(
            key, sorted(STORY_KEYS[key].choices)
        )
        assert sorted(values) == expected
    assert elements["principper"]["attributes"]["multiple"] is True
    assert elements["hegnspaele"]["attributes"]["multiple"] is True
    assert list(elements)[-1] == "historien", "the story must be last: headings inside it cannot shadow a field"


def meta_of(text: str) -> dict[str, object]:
    loaded: dict[str, object] = yaml.safe_load(text.split("\n---\n")[0].removeprefix("---\n"))
    return loaded


def test_every_dropdown_choice_converts_back_to_its_schema_value() -> None:
    for key in ("omraade", "principper", "hegnspaele", "fri_fra_type", "samtykke"):
        spec = STORY_KEYS[key]
        choices = options(spec, real_index())
        shown = ", ".join(s for _, s in choices) if spec.is_list else choices[-1][1]
        body = re.sub(rf"(### {spec.label}\n\n)[^\n]*", lambda m, shown=shown: m.group(1) + shown, GYLDIG)
        expected = [v for v, _ in choices] if spec.is_list else choices[-1][0]
        assert meta_of(convert(body, real_index())[1])[key] == expected


def test_converter_writes_the_exact_file_whatever_the_line_endings() -> None:
    expected = (
        "---\n"
        "title: Fri fra det faste morgenmøde\n"
        "description: Personalet mødes kun, når der er noget at tale om, og bruger tiden på børnene.\n"
        "dato: 2023-12-19\n"
        "omraade: dagtilbud\n"
        "principper: [kerneopgaven, hverdagsinnovation]\n"
        "hegnspaele: [kvalitet-og-vaerdi]\n"
        "fri_fra: Det faste morgenmøde hver dag kl. 7.30\n"
        "fri_fra_type: lokal vane\n"
        "fri_til: Mere tid sammen med børnene om morgenen.\n"
        "citat_rolle: Pædagog, Rebild Kommune\n"
        "kilde: indsendt\n"
        "samtykke: anonymiseret\n"
        "tags: [morgenmøde, tid, plejer]\n"
        "---\n\n"
        '> "Vi holdt morgenmøde hver dag, fordi vi altid havde gjort det. Nu mødes vi, når der er noget at tale om."\n'
        ">\n"
        "> — Pædagog, Rebild Kommune\n"
    )
    for body in (GYLDIG, GYLDIG.replace("\n", "\r\n"), GYLDIG.replace("\n", "\r")):
        assert convert(body, real_index()) == ("fri-fra-det-faste-morgenmoede", expected)


@pytest.mark.parametrize(
    "name,expected",
    [
        (
            "jinja.md",
            [
                "cases/fri-fra-det-faste-morgenmoede.md:19: FM014 Historien indeholder skabelonkode "
                "({{, {% eller {#). "
                "Historier vises som ren tekst; fjern krøllede parenteser i par."
            ],
        ),
        (
            "script.md",
            [
                "cases/fri-fra-det-faste-morgenmoede.md:19: FM015 Historien indeholder HTML-mærket <script>, "
                "som ikke "
                "er tilladt. Skriv almindelig tekst og Markdown-links; fjern HTML-koden."
            ],
        ),
        (
            "yaml-injection.md",
            [
                "cases/fri-fra-det-faste-morgenmoede-kilde-aftalen-samtykke-anonymiseret.md:2: FM019 Feltet "
                "'title' skal stå på én linje. Fjern linjeskiftene i teksten."
            ],
        ),
        (
            "mangler-felter.md",
            [
                "cases/fri-fra-det-faste-morgenmoede.md:10: FM007 Det påkrævede felt 'fri_til' (Fri til) "
                "mangler. Tilføj fx: fri_til: Ro og tid til at tage imod ‘tidlige børn’."
            ],
        ),
        (
            "intet-svar.md",
            [
                "cases/fri-fra-det-faste-morgenmoede.md:7: FM007 Det påkrævede felt 'hegnspaele' (Hegnspæle) "
                "mangler. Tilføj fx: hegnspaele: [kvalitet-og-vaerdi]"
            ],
        ),
        ("streger-i-historien.md", []),
    ],
)
def test_hostile_issue_bodies_become_files_the_checker_judges(tmp_path: Path, name: str, expected: list[str]) -> None:
    slug, text = convert((ISSUES / name).read_text(encoding="utf-8"), real_index())
    assert judged(tmp_path, f"{slug}.md", text) == expected
    meta = meta_of(text)
    assert meta["kilde"] == "indsendt" and meta["samtykke"] == "anonymiseret"  # nothing injected from the text
    if name == "streger-i-historien.md":
        assert meta["title"] == "Fri fra det faste morgenmøde"
        assert "title: Falsk titel" in text  # kept as story text, not as a field


@pytest.mark.usefixtures("real_concepts")
@pytest.mark.parametrize(
    ("issue", "code", "says"),
    [
        ((ISSUES / "cpr.md").read_bytes(), 3, "Historien bliver ikke lavet, fordi issuet ser ud til at indeholde"),
        ((ISSUES / "ikke-en-formular.md").read_bytes(), 1, "Issuet er ikke udfyldt med formularen ‘Ny historie’: "),
        (GYLDIG.encode() + b"x" * 1_000_000, 1, "Issuet er for langt (mere end 1000 kB). En historie er tekst på en"),
    ],
)
def test_a_refused_issue_is_one_danish_message_and_nothing_is_written(
    tmp_path: Path, issue: bytes, code: int, says: str
) -> None:
    site = tiny_project(tmp_path)
    refused = from_issue(site, issue)
    assert refused[:2] == (code, "") and refused[2].startswith(says)  # 3: the workflow labels personal data
    assert list((site / "cases").iterdir()) == []
    if code == 3:
        assert [line[:8] for line in refused[2].splitlines() if line.startswith("- ")] == ["- FM016 "]
        assert "01••••-••••" in refused[2] and "010203" not in refused[2]


@pytest.mark.usefixtures("real_concepts")
def test_converter_never_overwrites_and_falls_back_to_the_issue_number(tmp_path: Path) -> None:
    site = tiny_project(tmp_path)
    first = from_issue(site, GYLDIG)[1].strip()
    before = (site / first).read_bytes()
    for number in (2, 3):  # the same title again: its own file, and the first one is left as it was
        assert from_issue(site, GYLDIG)[:2] == (0, f"cases/fri-fra-det-faste-morgenmoede-{number}.md\n")
    assert (site / first).read_bytes() == before
    no_title = GYLDIG.replace("Fri fra det faste morgenmøde", "_No response_")
    for number, expected in (("7", "historie-fra-issue-7"), ("١٢", "ny-historie"), ("12", "historie-fra-issue-12")):
        assert from_issue(site, no_title, "--nummer", number)[1] == f"cases/{expected}.md\n"


DEEP = "[" * 20_000


def answer(label: str, value: str, body: str = GYLDIG) -> str:
    """The issue with one form answer replaced."""
    return re.sub(rf"(### {label}\n\n)[^\n]*", lambda m: m.group(1) + value, body, count=1)


HOSTILE_ISSUES: dict[str, bytes] = {
    "dyb-liste": answer("Titel", DEEP).encode(),
    "dyb-liste-med-maerke": answer("Titel", "! " + DEEP).encode(),
    "dyb-liste-med-seq": answer("Titel", "!!seq " + DEEP).encode(),
    "dyb-ordbog": answer("Resumé", "{a: " * 5000).encode(),
    "dyb-ordbog-med-anker": answer("Fri fra", "&a " + "{a: " * 5000).encode(),
    "dyb-i-emneord": answer("Emneord", ", ".join(["! " + DEEP] * 3)).encode(),
    "dyb-i-valg": answer("Område", "!!map " + "{" * 5000).encode(),
    "alias-bombe": answer("Emneord", "&a [x, x, x, x], " + ", ".join(["*a"] * 5000)).encode(),
    "alias": answer("Titel", "*a").encode(),
    "mange-streger": answer("Titel", "- " * 5000).encode(),
    "nul-bytes": answer("Titel", "Fri\x00 fra\x00 skemaet").encode() + b"\x00" * 10_000,
    "kun-nul-bytes": b"\x00" * 100_000,
    "ugyldig-utf8": answer("Titel", "Fri fra skemaet").encode() + b"\xff\xfe\xc3(\xed\xa0\x80",
    "bom-og-cr": b"\xef\xbb\xbf" + GYLDIG.replace("\n", "\r").encode(),
    "kun-historien": b"### Historien\n\nEn kort historie.\n",
    "kun-overskrifter": "".join(f"### {s.label}\n\n" for s in STORY_FIELDS).encode(),
    "tusind-overskrifter": ("### Titel\n\nx\n\n" * 10_000).encode(),
    "lang-titel": answer("Titel", "Fri fra " + "skemaet " * 50_000).encode(),
    "for-stort": GYLDIG.encode() + b"x" * 1_100_000,
    "tom": b"",
}


@pytest.fixture
def real_concepts(monkeypatch: pytest.MonkeyPatch) -> None:
    """`ny` and `fra-issue` on a tiny project take the principles from the real index, built once."""
    from frisaettelse import cli, issue_form

    for module in (cli, issue_form):
        monkeypatch.setattr(module, "build_index", lambda root, **_: real_index())


@pytest.mark.usefixtures("real_concepts")
@pytest.mark.parametrize("name", sorted(HOSTILE_ISSUES))
def test_hostile_issues_never_crash_the_converter(tmp_path: Path, name: str) -> None:
    """Whatever the issue holds: a file the checker can judge, or one Danish message and nothing written."""
    site = tiny_project(tmp_path)
    code, out, err = from_issue(site, HOSTILE_ISSUES[name], "--nummer", "7")
    written = list((site / "cases").iterdir())
    if code != 0:
        assert code == 1 and out == "" and written == []
        assert err.startswith(("Issuet ", "Historien bliver ikke lavet")), err[:300]
        return
    assert [site / out.strip()] == written
    text = written[0].read_text(encoding="utf-8")
    assert "\x00" not in text.split("\n---\n")[0]
    meta = meta_of(text)  # the converter's own quoting: never nested, never expanded
    assert meta["kilde"] == "indsendt"
    assert all(not isinstance(v, dict) for v in meta.values())
    assert len(written[0].name) <= 83
    story_problems(tmp_path, text, readable=False)  # the checker judges it, whatever it says


def test_an_issue_file_that_cannot_be_read_is_one_danish_line(tmp_path: Path) -> None:
    site = tiny_project(tmp_path / "projekt")
    for path, reason in ((tmp_path / "findes-ikke.md", "den findes ikke"), (tmp_path, "det er en mappe, ikke en fil")):
        assert run_cli("fra-issue", "--fil", str(path), "--root", str(site)) == (
            1,
            "",
            f"Issuet kan ikke læses fra {path}: {reason}.\n",
        )
    assert list((site / "cases").iterdir()) == []


@pytest.mark.parametrize(
    "value",
    [
        "foo\nkilde: x",
        "---",
        "a: b",
        "{{ x }}",
        "[a, b]",
        "*alias",
        "&anchor",
        "!tag x",
        "# comment",
        "yes",
        "no",
        "2024",
        "2024-03-01",
        "null",
        "'quoted'",
        '"dq"',
        " lead",
        "trail ",
        "|",
        ">",
        "a #b",
        "æøå – ‘plejer’",
        "tab\there",
        "x" * 5000,
        "\u2028",
        "%YAML",
        "@x",
        "`x`",
        "? x",
        "- x",
        "line1\n---\nline3",
        "x]",
        "x], y",
        "a, b",
        "a,b",
        "x}",
        "x]: y",
        "a [b] c",
        "! " + "[" * 5000,
        "x " + "[" * 5000,
        "*a",
        "&a [x]",
    ],
)
def test_any_value_round_trips_through_the_story_file(value: str) -> None:
    text = case_text({"title": value, "tags": [value, "ok"]}, "Tekst.")
    front, _, body = text.removeprefix("---\n").partition("\n---\n")
    assert "\n---" not in front  # a value can never end the front-matter
    meta = yaml.safe_load(front)
    assert meta["title"] == value and meta["tags"] == [value, "ok"]
    assert scalar(value).count("\n") == 0


# Workflows: tests/test_workflows.py. The command line as such: tests/test_cli.py.


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_guide_content_passes_axe_wcag_aa(site_url: str, browser, width: int) -> None:
    """The guide's content and its edit link (the site chrome is tested where it is built)."""
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(site_url + "del-din-historie/")
    result = Axe().run(
        page,
        context=".md-content",
        options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}},
    )
    violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in result.response["violations"]]
    assert violations == []
    link = page.get_by_role("link", name="Ret siden på GitHub")
    link.focus()
    assert link.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
    page.close()


# --- the next step `ny` and `fra-issue` print can be typed as shown ----------------------------------------------


def test_the_check_command_ny_and_fra_issue_print_runs_as_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from frisaettelse.cli import main

    site = make_site(tmp_path, keep_cases=True)  # the command printed runs the build
    monkeypatch.chdir(site / "cases")
    assert main(["ny", "Fri fra det faste skema"]) == 0
    assert main(["fra-issue", "--fil", str(ISSUES / "gyldig.md")]) == 0
    out = capsys.readouterr()
    commands = [
        line.rsplit(": ", 1)[1].rstrip(".")
        for line in (out.out + out.err).splitlines()
        if line.rsplit(": ", 1)[-1].rstrip(".").endswith(" tjek")
    ]
    assert len(commands) == 2 and len(set(commands)) == 1
    result = subprocess.run(
        ["bash", "-c", commands[0]],
        cwd=site / "cases",
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},  # no venv on the PATH: as a new terminal
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1 and "FM070" in result.stdout, result.stderr  # the new story is checked


# --- the converter reads what people type ------------------------------------------------------------------------


def front_matter(issue: str) -> dict[str, object]:
    return meta_of(convert(issue, real_index())[1])


TYPED_ANSWERS: list[tuple[str, str, str, object]] = [
    # (form label, what was typed, field, what the story file says)
    ("Principper", "Kerneopgaven og hverdagsinnovation", "principper", ["kerneopgaven", "hverdagsinnovation"]),
    ("Principper", "kerneopgaven, hverdagsinnovation", "principper", ["kerneopgaven", "hverdagsinnovation"]),
    ("Principper", "kerneopgaven; Hverdagsinnovation", "principper", ["kerneopgaven", "hverdagsinnovation"]),
    ("Principper", "kerneopgaven\nhverdagsinnovation", "principper", ["kerneopgaven", "hverdagsinnovation"]),
    ("Principper", "Formål og retning", "principper", ["formaal-og-retning"]),
    ("Principper", "kerneopgaven & formål og retning", "principper", ["kerneopgaven & formål og retning"]),
    ("Principper", "kerneopgaven og noget andet", "principper", ["kerneopgaven og noget andet"]),
    ("Hegnspæle", "Kvalitet og værdi", "hegnspaele", ["kvalitet-og-vaerdi"]),
    ("Dato", "3. maj 2024", "dato", dt.date(2024, 5, 3)),
    ("Dato", "den 3. Maj 2024", "dato", dt.date(2024, 5, 3)),
    ("Dato", "3 dec. 2024", "dato", dt.date(2024, 12, 3)),
    ("Dato", "2024-5-3", "dato", dt.date(2024, 5, 3)),
    ("Dato", "3/5/2024", "dato", dt.date(2024, 5, 3)),
    ("Dato", "30. februar 2024", "dato", "30. februar 2024"),
    ("Dato", "i foråret", "dato", "i foråret"),
    ("Titel", "„Fri fra skemaet“", "title", "Fri fra skemaet"),
    ("Titel", "“Fri fra skemaet”", "title", "Fri fra skemaet"),
    ("Titel", "\"'Fri fra skemaet'\"", "title", "Fri fra skemaet"),
    ("Titel", "«Fri fra skemaet»", "title", "Fri fra skemaet"),
    ("Titel", "Fri fra „skemaet“", "title", "Fri fra „skemaet“"),
    ("Emneord", "tid\nplejer", "tags", ["tid", "plejer"]),
]


@pytest.mark.parametrize(("label", "typed", "key", "expected"), TYPED_ANSWERS)
def test_the_converter_reads_what_people_type(label: str, typed: str, key: str, expected: object) -> None:
    body = GYLDIG.replace(f"### {label}\n\n", f"### {label}\n\n{typed}\n", 1)
    body = re.sub(rf"(### {label}\n\n{re.escape(typed)}\n)[^\n]*\n", r"\1", body, count=1)  # the old answer gone
    assert front_matter(body)[key] == expected


def test_the_story_file_from_an_issue_leaves_out_optional_fields_without_a_value() -> None:
    meta = front_matter(GYLDIG.replace("morgenmøde, tid, plejer", "_No response_"))
    assert "tags" not in meta and "tidligere_adresser" not in meta and "koblet_af" not in meta
    assert {f.key for f in STORY_FIELDS if f.required} <= set(meta)


# --- a route without a GitHub account: the contact address, offered first when it is set --------------------------


def test_without_a_contact_address_the_guide_offers_no_mail(built_site: Path) -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert config["extra"]["kontakt"] == ""  # no invented address
    assert "mailto:" not in article(guide(built_site))
    assert 'id="ret-issuet"' in guide(built_site)  # how to delete an old revision of an issue


@pytest.mark.langsom  # a real build of its own (the address is read when the page is rendered)
def test_a_contact_address_is_offered_first_with_the_four_questions_to_copy(tmp_path: Path) -> None:
    from urllib.parse import parse_qs, unquote, urlsplit

    site = make_site(tmp_path, keep_cases=True)
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('kontakt: ""', "kontakt: redaktion@example.dk"),
        encoding="utf-8",
    )
    result = mkdocs_build(site, tmp_path / "out")
    assert result.returncode == 0, result.stderr[-3000:]
    html = article((tmp_path / "out" / "del-din-historie" / "index.html").read_text(encoding="utf-8"))
    links = parse_html(html).links
    mail = [href for href in links if href.startswith("mailto:redaktion@example.dk?")]
    form = [i for i, href in enumerate(links) if "issues/new" in href]
    assert mail and form and links.index(mail[0]) < form[0]  # the mail comes before the GitHub form
    url = urlsplit(mail[0])
    body = parse_qs(url.query)["body"][0]
    copyable = re.search(r"<pre[^>]*>(?:<span></span>)?<code[^>]*>(.*?)</code></pre>", html, re.DOTALL)
    assert copyable is not None
    assert unquote(body) == body and body.strip() == "".join(parse_html(copyable.group(1)).text).strip()
    assert len([line for line in body.splitlines() if line.strip()]) == 4


@pytest.mark.parametrize(
    ("written", "suggested"),
    [
        ("3. maj 2024", "2024-05-03"),
        ('"2024-5-3"', "2024-05-03"),
        ("19.12.2023", "2023-12-19"),
        ("30. februar 2024", None),
    ],
)
def test_the_check_suggests_the_iso_date_it_could_read(tmp_path: Path, written: str, suggested: str | None) -> None:
    from frisaettelse.load import parse_document
    from frisaettelse.validate import Context, check_date

    text = valid_from_template().replace("dato: 2024-03-01", f"dato: {written}")
    path = tmp_path / "historie.md"
    path.write_text(text, encoding="utf-8")
    doc, _ = parse_document(path, "cases/historie.md")
    assert doc is not None
    (problem,) = check_date(doc, Context())
    assert (problem.code, problem.line) == ("FM012", line_of(text, "dato:"))
    assert suggested is None or f"dato: {suggested}" in problem.hint  # the date it read, written as ISO
