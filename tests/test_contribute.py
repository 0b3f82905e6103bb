"""Contributor paths end to end: the guide, the scaffold, the issue form and its converter, edit links, workflows."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from frisaettelse.index import build_index
from frisaettelse.issue_form import FORM_PATH, NOT_ASKED, form_definition, form_yaml, options
from frisaettelse.problems import Problem
from frisaettelse.scaffold import case_text, scalar
from frisaettelse.schema import STORY_FIELDS, STORY_KEYS
from frisaettelse.validate import ALL_CODES
from helpers import FIXTURES, ROOT, article, make_site, mkdocs_build, parse_html

ISSUES = FIXTURES / "issues"
INDEX = build_index(ROOT)


def cli(*args: str, stdin: str | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SITE_URL": ""}
    result = subprocess.run([sys.executable, "-m", "frisaettelse", *args], input=stdin, capture_output=True,
                            text=True, timeout=120, env=env, cwd=cwd)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def guide(built_site: Path) -> str:
    """The contributor start page ("Del din historie")."""
    return (built_site / "del-din-historie" / "index.html").read_text(encoding="utf-8")


def reference(built_site: Path) -> str:
    """The contributor reference: fields, template, examples and error codes."""
    return (built_site / "bidrag" / "felter-og-fejlkoder" / "index.html").read_text(encoding="utf-8")


# --- the guide page --------------------------------------------------------------------------------------------

def test_every_code_has_its_anchor_and_every_message_links_to_it(built_site: Path) -> None:
    html = reference(built_site)
    for code, title in ALL_CODES.items():
        url = Problem("cases/x.md", 1, code, "…").guide_url()
        page, anchor = url.split("#")
        assert page.endswith("/bidrag/felter-og-fejlkoder/") and anchor == code.lower()
        heading = re.search(rf'<h3 id="{anchor}">(.*?)</h3>', html, re.S)
        assert heading, code
        assert f"{code}: {title}" in heading.group(1)
    assert "Sådan retter du det:" in html


def test_the_guide_explains_every_field_from_the_schema(built_site: Path) -> None:
    text = article(reference(built_site))
    for spec in STORY_FIELDS:
        assert f"<code>{spec.key}</code>" in text, spec.key
        assert spec.help.split(".")[0] in text, spec.key
    for concept in [*INDEX.concepts("princip"), *INDEX.concepts("hegnspæl")]:
        assert f"<code>{concept.id}</code>" in text


def test_the_guide_links_example_stories_the_form_and_the_editor(built_site: Path) -> None:
    examples = parse_html(article(reference(built_site))).links
    for kind in ("statslig regel", "kommunal regel", "lokal vane"):
        story = next(s for s in INDEX.newest() if s.freed_from_kind == kind)
        assert f"../../historier/{story.slug}/" in examples, kind
    links = parse_html(article(guide(built_site))).links
    assert "https://github.com/rebild-kommune/frisaettelse/issues/new?template=ny-historie.yml" in links
    assert "https://github.com/rebild-kommune/frisaettelse/tree/main/cases" in links


def test_the_guide_examples_are_picked_from_the_index_and_survive_no_stories(tmp_path: Path) -> None:
    """Examples are picked from the index, so they follow renames and a site without stories has a kind text."""
    from frisaettelse.guide import examples
    from frisaettelse.index import SiteIndex

    assert examples(SiteIndex(root=tmp_path), "del-din-historie.md") == \
        "*Der er ingen historier endnu – din kan blive den første.*\n"
    assert "../historier/aendret-aabningstid/" not in examples(SiteIndex(root=tmp_path), "del-din-historie.md")
    picked = examples(INDEX, "del-din-historie.md")
    assert all(f"historier/{s.slug}.md" in picked for s in INDEX.stories.values() if s.slug in picked)


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
    match = re.search(r'<a href="([^"]+)" class="foreslaa-aendring" rel="edit">(.*?)</a>', html, re.S)
    assert match, "no edit link"
    return match.group(1), re.sub(r"<[^>]+>|\s+", " ", match.group(2)).strip()


def test_story_pages_edit_their_file_in_cases(built_site: Path) -> None:
    for story in INDEX.stories.values():
        html = (built_site / story.url / "index.html").read_text(encoding="utf-8")
        href, text = edit_link(html)
        assert href == f"https://github.com/rebild-kommune/frisaettelse/edit/main/cases/{story.abs_path.name}"
        assert text == "Foreslå en ændring"


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
        assert text == "Foreslå en ændring"


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
    assert requests and all(url.startswith(site_url) or url.startswith("data:") for url in requests), \
        [u for u in requests if not u.startswith(site_url)]
    link = page.get_by_role("link", name="Foreslå en ændring")
    assert link.get_attribute("href").endswith("/edit/main/cases/aendret-aabningstid.md")
    page.close()


# --- scaffold --------------------------------------------------------------------------------------------------

def test_scaffold_writes_every_field_with_a_comment_and_names_the_path(tmp_path: Path) -> None:
    site = make_site(tmp_path, "valid")
    result = cli("ny", "Fri fra: morgenmødet på Åbakken", "--root", str(site))
    assert result.returncode == 0, result.stderr
    assert "Historien er oprettet: cases/fri-fra-morgenmoedet-paa-aabakken.md" in result.stdout
    assert "Adressen bliver: historier/fri-fra-morgenmoedet-paa-aabakken/" in result.stdout
    text = (site / "cases" / "fri-fra-morgenmoedet-paa-aabakken.md").read_text(encoding="utf-8")
    for spec in STORY_FIELDS:
        assert re.search(rf"^{spec.key}:", text, re.M), spec.key
        assert f"# {spec.label}: {spec.help}" in text
    assert 'title: "Fri fra: morgenmødet på Åbakken"' in text
    assert f"dato: {dt.date.today().isoformat()}" in text


def test_scaffolded_file_fails_only_for_what_the_contributor_must_fill_in(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    cli("ny", "Fri fra skemaet", "--root", str(site))
    result = cli("check", "--root", str(site))
    assert result.returncode == 1
    reported = [line.split(": ", 1)[1].split(" (Vejledning")[0] for line in result.stdout.splitlines()]
    to_fill = ("description", "omraade", "principper", "hegnspaele", "fri_fra", "fri_fra_type", "fri_til",
               "citat_rolle", "samtykke")
    expected = [f"FM007 Det påkrævede felt '{k}' ({STORY_KEYS[k].label}) mangler. Tilføj fx: {k}: {STORY_KEYS[k].example}"
                for k in to_fill]
    expected.append("FM007 Selve historien er ikke skrevet endnu. Erstat linjen 'Skriv historien her …' med jeres historie.")
    assert reported == expected


def test_scaffold_refuses_to_overwrite_in_danish(tmp_path: Path) -> None:
    site = make_site(tmp_path, "valid")
    before = (site / "cases" / "fri-fra-skemaet.md").read_bytes()
    result = cli("ny", "Fri fra skemaet", "--root", str(site))
    assert result.returncode == 1
    assert result.stderr.strip() == ("Filen cases/fri-fra-skemaet.md findes allerede, og den må ikke overskrives. "
                                     "Vælg en anden titel, eller ret i den eksisterende fil.")
    assert (site / "cases" / "fri-fra-skemaet.md").read_bytes() == before
    # A different spelling that gives the same URL is refused too.
    assert cli("ny", "Fri Fra Skemaet!", "--root", str(site)).returncode == 1


def test_scaffold_without_a_title_explains_how(tmp_path: Path) -> None:
    result = cli("ny", "--root", str(make_site(tmp_path)))
    assert result.returncode == 1
    assert result.stderr.strip() == 'Skriv historiens titel i anførselstegn, fx: python -m frisaettelse ny "Fri fra skemaet"'


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
    text = re.sub(r"^Skriv historien her.*$", '> "Vi fik mere tid til eleverne."\n>\n> — Lærer, Rebild Kommune',
                  text, flags=re.M)
    path.write_text(text, encoding="utf-8")


def test_both_contributor_paths_end_to_end(tmp_path: Path) -> None:
    """scaffold → fill in → check → build; issue-form body → converter → check → build; both pages exist."""
    site = make_site(tmp_path, keep_cases=True)
    assert cli("ny", "Fri fra det faste skema", "--root", str(site)).returncode == 0
    fill_in(site / "cases" / "fri-fra-det-faste-skema.md")
    converted = cli("fra-issue", "--root", str(site), stdin=(ISSUES / "gyldig.md").read_text(encoding="utf-8"))
    assert converted.returncode == 0, converted.stderr
    assert converted.stdout.strip() == "cases/fri-fra-det-faste-morgenmoede.md"
    check = cli("check", "--root", str(site))
    assert check.returncode == 0, check.stdout
    result = mkdocs_build(site, tmp_path / "out")
    assert result.returncode == 0, result.stderr[-3000:]
    scaffolded = (tmp_path / "out" / "historier" / "fri-fra-det-faste-skema" / "index.html").read_text(encoding="utf-8")
    assert "<h1" in scaffolded and "Fri fra det faste skema" in scaffolded and "Vi fik mere tid til eleverne." in scaffolded
    from_issue = (tmp_path / "out" / "historier" / "fri-fra-det-faste-morgenmoede" / "index.html").read_text(encoding="utf-8")
    assert "Fri fra det faste morgenmøde" in from_issue
    assert "Nu mødes vi, når der er noget at tale om." in from_issue
    assert from_issue.count("edit/main/cases/fri-fra-det-faste-morgenmoede.md") == 1


# --- issue form and converter ----------------------------------------------------------------------------------

def test_committed_issue_form_is_generated_from_the_schema() -> None:
    committed = (ROOT / FORM_PATH).read_text(encoding="utf-8")
    assert committed == form_yaml(INDEX), "Kør: python -m frisaettelse issue-formular --skriv"


def test_issue_form_asks_for_every_schema_field_with_the_schema_choices() -> None:
    form = form_definition(INDEX)
    elements = {e["id"]: e for e in form["body"] if "id" in e}
    assert [k for k in elements if k in STORY_KEYS] == [f.key for f in STORY_FIELDS if f.key not in NOT_ASKED]
    for key in ("omraade", "principper", "hegnspaele", "fri_fra_type", "samtykke"):
        assert elements[key]["type"] == "dropdown"
        values = [value for value, _ in options(STORY_KEYS[key], INDEX)]
        expected = {"principper": sorted(INDEX.principles), "hegnspaele": sorted(INDEX.boundaries)}.get(
            key, sorted(STORY_KEYS[key].choices))
        assert sorted(values) == expected
    assert elements["principper"]["attributes"]["multiple"] is True
    assert elements["hegnspaele"]["attributes"]["multiple"] is True
    assert list(elements)[-1] == "historien", "the story must be last: headings inside it cannot shadow a field"


def test_every_dropdown_choice_converts_back_to_its_schema_value(tmp_path: Path) -> None:
    base = (ISSUES / "gyldig.md").read_text(encoding="utf-8")
    for key in ("omraade", "principper", "hegnspaele", "fri_fra_type", "samtykke"):
        spec = STORY_KEYS[key]
        choices = options(spec, INDEX)
        shown = ", ".join(s for _, s in choices) if spec.is_list else choices[-1][1]
        body = re.sub(rf"(### {spec.label}\n\n)[^\n]*", lambda m: m.group(1) + shown, base)
        site = make_site(tmp_path / key)
        assert cli("fra-issue", "--root", str(site), stdin=body).returncode == 0
        meta = yaml.safe_load((site / "cases" / "fri-fra-det-faste-morgenmoede.md").read_text(encoding="utf-8").split("---")[1])
        assert meta[key] == ([v for v, _ in choices] if spec.is_list else choices[-1][0])


def converted(tmp_path: Path, name: str, body: str | None = None) -> tuple[Path, subprocess.CompletedProcess[str]]:
    site = make_site(tmp_path)
    text = body if body is not None else (ISSUES / name).read_text(encoding="utf-8")
    return site, cli("fra-issue", "--root", str(site), "--nummer", "7", stdin=text)


def test_converter_writes_the_exact_file(tmp_path: Path) -> None:
    site, result = converted(tmp_path, "gyldig.md")
    assert result.returncode == 0
    text = (site / "cases" / "fri-fra-det-faste-morgenmoede.md").read_text(encoding="utf-8")
    assert text == (
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
        "tidligere_adresser:\n"
        "---\n\n"
        '> "Vi holdt morgenmøde hver dag, fordi vi altid havde gjort det. Nu mødes vi, når der er noget at tale om."\n'
        ">\n"
        "> — Pædagog, Rebild Kommune\n"
    )


def test_converter_handles_windows_line_endings_the_same(tmp_path: Path) -> None:
    body = (ISSUES / "gyldig.md").read_text(encoding="utf-8").replace("\n", "\r\n")
    site, result = converted(tmp_path, "", body)
    assert result.returncode == 0
    assert cli("check", "--root", str(site)).returncode == 0


def check_lines(site: Path) -> list[str]:
    result = cli("check", "--root", str(site))
    return [line.split(" (Vejledning")[0] for line in result.stdout.splitlines()]


@pytest.mark.parametrize("name,expected", [
    ("jinja.md", ["cases/fri-fra-det-faste-morgenmoede.md:20: FM014 Historien indeholder skabelonkode ({{, {% eller {#). "
                  "Historier vises som ren tekst; fjern krøllede parenteser i par."]),
    ("script.md", ["cases/fri-fra-det-faste-morgenmoede.md:20: FM015 Historien indeholder HTML-mærket <script>, som ikke "
                   "er tilladt. Skriv almindelig tekst og Markdown-links; fjern HTML-koden."]),
    ("yaml-injection.md", ["cases/fri-fra-det-faste-morgenmoede-kilde-aftalen-samtykke-anonymiseret.md:2: FM019 Feltet "
                           "'title' skal stå på én linje. Fjern linjeskiftene i teksten."]),
    ("mangler-felter.md", ["cases/fri-fra-det-faste-morgenmoede.md:10: FM007 Det påkrævede felt 'fri_til' (Fri til) "
                           "mangler. Tilføj fx: fri_til: Ro og tid til at tage imod ‘tidlige børn’."]),
    ("intet-svar.md", ["cases/fri-fra-det-faste-morgenmoede.md:7: FM007 Det påkrævede felt 'hegnspaele' (Hegnspæle) "
                       "mangler. Tilføj fx: hegnspaele: [kvalitet-og-vaerdi]"]),
    ("streger-i-historien.md", []),
])
def test_hostile_issue_bodies_become_files_the_checker_judges(tmp_path: Path, name: str, expected: list[str]) -> None:
    site, result = converted(tmp_path, name)
    assert result.returncode == 0, result.stderr
    assert check_lines(site) == expected
    path = site / result.stdout.strip()
    meta = yaml.safe_load(path.read_text(encoding="utf-8").split("\n---\n")[0].removeprefix("---\n"))
    assert meta["kilde"] == "indsendt" and meta["samtykke"] == "anonymiseret"  # nothing injected from the text
    if name == "streger-i-historien.md":
        assert meta["title"] == "Fri fra det faste morgenmøde"
        assert "title: Falsk titel" in path.read_text(encoding="utf-8")  # kept as story text, not as a field


def test_personal_data_in_an_issue_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    site, result = converted(tmp_path, "cpr.md")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Historien bliver ikke lavet, fordi issuet ser ud til at indeholde personoplysninger:\n"
        "- FM016 Issuet ser ud til at indeholde et CPR-nummer (01••••-••••). "
        "Fjern CPR-nummeret helt – historier må aldrig indeholde personnumre.\n"
        "Ret issuet (fjern oplysningerne helt), og sæt mærkatet ‘ny-historie’ på igen.")
    assert "010203" not in result.stdout + result.stderr
    assert list((site / "cases").iterdir()) == []


def test_an_issue_not_made_with_the_form_is_refused(tmp_path: Path) -> None:
    site, result = converted(tmp_path, "ikke-en-formular.md")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Issuet er ikke udfyldt med formularen ‘Ny historie’: ingen af dens felter findes. "
        "Opret historien med formularen, eller lav filen i cases/ i hånden.")
    assert list((site / "cases").iterdir()) == []


def test_a_huge_issue_is_refused(tmp_path: Path) -> None:
    body = (ISSUES / "gyldig.md").read_text(encoding="utf-8") + "Meget lang tekst. " * 120_000
    site, result = converted(tmp_path, "", body)
    assert result.returncode == 1
    assert result.stderr.strip() == "Issuet er for langt (2161 kB; højst 1000 kB). En historie er tekst på en side eller to."
    assert list((site / "cases").iterdir()) == []


def test_converter_never_overwrites_and_falls_back_to_the_issue_number(tmp_path: Path) -> None:
    site, first = converted(tmp_path, "gyldig.md")
    again = cli("fra-issue", "--root", str(site), stdin=(ISSUES / "gyldig.md").read_text(encoding="utf-8"))
    assert again.returncode == 1 and "findes allerede" in again.stderr
    no_title = (ISSUES / "gyldig.md").read_text(encoding="utf-8").replace("Fri fra det faste morgenmøde", "_No response_")
    result = cli("fra-issue", "--root", str(site), "--nummer", "7", stdin=no_title)
    assert result.stdout.strip() == "cases/historie-fra-issue-7.md"


@pytest.mark.parametrize("value", [
    "foo\nkilde: x", "---", "a: b", "{{ x }}", "[a, b]", "*alias", "&anchor", "!tag x", "# comment", "yes", "no",
    "2024", "2024-03-01", "null", "'quoted'", '"dq"', " lead", "trail ", "|", ">", "a #b", "æøå – ‘plejer’",
    "tab\there", "x" * 5000, "\u2028", "%YAML", "@x", "`x`", "? x", "- x", "line1\n---\nline3",
])
def test_any_value_round_trips_through_the_story_file(value: str) -> None:
    text = case_text({"title": value, "tags": [value, "ok"]}, "Tekst.")
    front, _, body = text.removeprefix("---\n").partition("\n---\n")
    assert "\n---" not in front  # a value can never end the front-matter
    meta = yaml.safe_load(front)
    assert meta["title"] == value and meta["tags"] == [value, "ok"]
    assert scalar(value).count("\n") == 0


# --- workflows -------------------------------------------------------------------------------------------------

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def load_workflow(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def test_workflows_are_least_privilege_and_never_template_untrusted_text() -> None:
    assert {p.name for p in WORKFLOWS} >= {"tjek.yml", "ny-historie.yml", "udgiv.yml"}
    for path in WORKFLOWS:
        raw = path.read_text(encoding="utf-8")
        data = load_workflow(path)
        assert "pull_request_target" not in raw, path.name
        assert isinstance(data.get("permissions"), dict), f"{path.name}: explicit top-level permissions"
        assert "write-all" not in raw and "read-all" not in raw
        for job in data["jobs"].values():
            for step in job.get("steps", []):
                run = step.get("run", "")
                assert "${{" not in run, f"{path.name}: {step.get('name')}: use env:, never ${{{{ }}}} in run:"


def test_pull_request_check_is_read_only_and_uploads_the_site() -> None:
    data = load_workflow(ROOT / ".github" / "workflows" / "tjek.yml")
    assert list(data["on"]) == ["pull_request"]
    assert data["permissions"] == {"contents": "read"}
    steps = data["jobs"]["tjek"]["steps"]
    assert any("--format github" in s.get("run", "") for s in steps)
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == "site" and "steps.byg.outcome == 'success'" in upload["if"]
    assert all(s.get("with", {}).get("persist-credentials") is False for s in steps if "checkout" in s.get("uses", ""))


def test_issue_workflow_has_exactly_the_permissions_it_needs_and_passes_the_issue_as_data() -> None:
    data = load_workflow(ROOT / ".github" / "workflows" / "ny-historie.yml")
    assert data["on"] == {"issues": {"types": ["labeled"]}}
    assert data["permissions"] == {"contents": "write", "pull-requests": "write", "issues": "read"}
    job = data["jobs"]["lav-pull-request"]
    assert job["if"] == "github.event.label.name == 'ny-historie'"
    convert = next(s for s in job["steps"] if "fra-issue" in s.get("run", ""))
    assert convert["env"]["BODY"] == "${{ github.event.issue.body }}"
    assert "printf '%s' \"$BODY\" | .venv/bin/python -m frisaettelse fra-issue" in convert["run"]


def test_pull_request_template_is_a_danish_checklist() -> None:
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert text.count("- [ ]") >= 5
    assert "ingen navne" in text and "CPR-numre" in text and "samtykke" in text


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_guide_content_passes_axe_wcag_aa(site_url: str, browser, width: int) -> None:
    """The guide's content and its edit link (the site chrome is tested where it is built)."""
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(site_url + "del-din-historie/")
    result = Axe().run(page, context=".md-content", options={
        "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
    violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in result.response["violations"]]
    assert violations == []
    link = page.get_by_role("link", name="Foreslå en ændring")
    link.focus()
    assert link.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
    page.close()
