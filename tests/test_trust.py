"""Contributor text is hostile input: every rule reads what YAML decoded and what a reader will see, and reports the
original file and line. One fixture per class (written as an attacker would), the exact Danish message and line,
and the same line from a real strict build."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT, make_site, mkdocs_build

from frisaettelse.index import build_index
from frisaettelse.problems import Problem

BRACKET_HINT = "Felter er ren tekst: skriv uden < og > (heller ikke som &lt;, &gt; eller \\x3c), fx 'mindre end'."
JINJA = (
    "Historien indeholder skabelonkode ({{, {% eller {#).",
    "Historier vises som ren tekst; fjern krøllede parenteser i par.",
)
DEPTH = (
    "Lister eller citater står mere end 10 niveauer inde i hinanden.",
    "Skriv teksten med færre niveauer; en historie har sjældent brug for mere end to.",
)
RESERVED_HINT = "Omdøb filen, fx til historiens titel med bindestreger."


def bracket(path: str, line: int, key: str) -> Problem:
    return Problem(
        f"cases/{path}",
        line,
        "FM040",
        f"Feltet '{key}' indeholder tegnet '<', som ikke må stå i et felt.",
        BRACKET_HINT,
    )


EXPECTED = {
    # Front-matter values as YAML decodes them: escapes, a quoted string folded over two lines, references.
    "trust_title_yaml_escape": bracket("titel-med-escape.md", 2, "title"),
    "trust_description_folded": bracket("resume-over-to-linjer.md", 3, "description"),
    "trust_tag_markup": bracket("emneord-med-html.md", 14, "tags"),
    "trust_field_entity": bracket("tegnkode-i-felt.md", 10, "fri_til"),
    "trust_field_fullwidth": bracket("bred-form.md", 2, "title"),
    "trust_field_control": Problem(
        "cases/styretegn.md",
        8,
        "FM040",
        "Feltet 'fri_fra' indeholder et styretegn (U+0007), som ikke må stå i et felt.",
        "Slet tegnet, og skriv teksten på én linje uden tabulatortegn.",
    ),
    "trust_field_invisible": Problem(
        "cases/usynligt-tegn.md",
        11,
        "FM040",
        "Feltet 'citat_rolle' indeholder et usynligt tegn (U+200B), som ikke må stå i et felt.",
        "Slet tegnet; det kommer ofte med, når tekst kopieres fra et andet program.",
    ),
    "trust_jinja_yaml_escape": Problem("cases/skabelonkode-escape.md", 2, "FM014", *JINJA),
    # Limits.
    "limit_title_long": Problem(
        "cases/lang-titel.md",
        2,
        "FM019",
        "Titlen er 137 tegn; højst 120.",
        "Skriv en kort titel; resten hører til i selve historien.",
    ),
    "limit_description_long": Problem(
        "cases/langt-resume.md",
        3,
        "FM019",
        "Resuméet er 221 tegn; højst 200.",
        "Skriv én kort linje; resten hører til i selve historien.",
    ),
    "limit_tags_many": Problem(
        "cases/mange-emneord.md",
        14,
        "FM041",
        "Historien har 11 emneord; højst 10.",
        "Behold de vigtigste emneord, og slet resten.",
    ),
    "limit_tag_long": Problem(
        "cases/langt-emneord.md",
        14,
        "FM041",
        "Emneordet 'skemaskemaskemaskemaskemaskem…' er 45 tegn; højst 40.",
        "Brug et eller to ord som emneord.",
    ),
    "limit_tag_no_letters": Problem(
        "cases/emneord-uden-bogstaver.md",
        14,
        "FM041",
        "Emneordet '!!!' giver ingen adresse (det har hverken bogstaver eller tal).",
        "Skriv emneordet med bogstaver, fx åbningstid.",
    ),
    "limit_yaml_alias": Problem(
        "cases/yaml-henvisninger.md",
        8,
        "FM005",
        "Felterne øverst i filen kan ikke læses (et &- eller *-tegn i starten af en værdi).",
        'Sæt anførselstegn om teksten, fx title: "*Vigtigt*". Ankre og henvisninger (& og *) kan ikke bruges i en '
        "historie.",
    ),
    "limit_body_deep_list": Problem("cases/dyb-liste.md", 31, "FM042", *DEPTH),
    # Dates YAML reads as timestamps but that are not days.
    "date_month_13": Problem(
        "cases/maaned-13.md",
        4,
        "FM012",
        "Datoen '2023-13-01' findes ikke i kalenderen.",
        "Tjek måned (01-12) og dag, fx dato: 2023-12-19.",
    ),
    "date_february_30": Problem(
        "cases/30-februar.md",
        4,
        "FM012",
        "Datoen '2023-02-30' findes ikke i kalenderen.",
        "Tjek måned (01-12) og dag, fx dato: 2023-12-19.",
    ),
    "date_invalid_timestamp": Problem(
        "cases/tidsstempel.md",
        4,
        "FM012",
        "Ugyldig dato '2023-02-30T10:00:00+01:00'.",
        "Skriv datoen som ÅÅÅÅ-MM-DD, fx dato: 2023-12-19.",
    ),
    "date_with_time": Problem(
        "cases/dato-med-klokkeslaet.md",
        4,
        "FM012",
        "Ugyldig dato '2023-12-19 10:00:00'.",
        "Skriv datoen som ÅÅÅÅ-MM-DD, fx dato: 2023-12-19.",
    ),
    # File names the site uses for its own pages.
    "reserved_index": Problem(
        "cases/index.md",
        1,
        "FM013",
        "Filnavnet giver adressen historier/index/, som sitet selv bruger til en oversigt.",
        RESERVED_HINT,
    ),
    "reserved_side": Problem(
        "cases/side.md",
        1,
        "FM013",
        "Filnavnet giver adressen historier/side/, som sitet selv bruger til en oversigt.",
        RESERVED_HINT,
    ),
    "reserved_omraade": Problem(
        "cases/Omraade.md",
        1,
        "FM013",
        "Filnavnet giver adressen historier/omraade/, som sitet selv bruger til en oversigt.",
        RESERVED_HINT,
    ),
}


def site_with(tmp_path: Path, fixture: str | None = None) -> Path:
    """A copy of the project with the real stories (docs pages link them by macro) and a fixture's story added."""
    return make_site(tmp_path, fixture, keep_cases=True)


def run_check(site: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SITE_URL": ""}
    return subprocess.run(
        [sys.executable, "-m", "frisaettelse", "check", "--root", str(site), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=cwd,
    )


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_each_class_is_refused_with_the_exact_message_and_line(tmp_path: Path, fixture: str) -> None:
    assert build_index(site_with(tmp_path, fixture)).problems == [EXPECTED[fixture]]


def test_every_trust_fixture_has_an_expectation() -> None:
    prefixes = ("trust_", "limit_", "date_", "reserved_")
    named = {p.name for p in FIXTURES.iterdir() if p.name.startswith(prefixes)}
    assert named <= set(EXPECTED)


@pytest.mark.parametrize(
    "fixture",
    [
        "trust_title_yaml_escape",
        "date_february_30",
        "limit_body_deep_list",
        "reserved_side",
    ],
)
def test_check_and_the_strict_build_refuse_on_the_same_line(tmp_path: Path, fixture: str) -> None:
    site = site_with(tmp_path, fixture)
    check = run_check(site)
    expected = EXPECTED[fixture]
    assert check.returncode == 1 and check.stdout.splitlines() == [expected.format()]
    build = mkdocs_build(site, tmp_path / "out")
    assert build.returncode != 0
    assert "Traceback" not in build.stdout + build.stderr
    assert expected.format().split(" (Vejledning")[0] in build.stderr
    assert not (tmp_path / "out" / "historier").exists() or not any((tmp_path / "out" / "historier").iterdir())


def test_numbers_that_are_not_personal_data_build_and_are_shown(tmp_path: Path) -> None:
    site = site_with(tmp_path, "valid")
    story = site / "cases" / "fri-fra-skemaet.md"
    harmless = ("CVR-nr. 12345674", "kr. 25000000", "kl. 0630 0700", "2023 2027", "ISBN 978-87-93950-92-4")
    story.write_text(story.read_text("utf-8") + "\n" + ", ".join(harmless) + ".\n", "utf-8")
    assert run_check(site).returncode == 0
    result = mkdocs_build(site, tmp_path / "out")
    assert result.returncode == 0, result.stderr[-3000:]
    page = (tmp_path / "out" / "historier" / "fri-fra-skemaet" / "index.html").read_text("utf-8")
    for text in harmless:
        assert text in page


# --- YAML: timestamps, anchors and numbers YAML cannot build ----------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "2023-13-01",
        "2023-02-30",
        "2023-02-29",
        "2023-00-10",
        "2023-1-32",
        "2023-02-30T10:00:00",
        "2023-02-30 10:00:00+02:00",
        "2023-01-01t25:00:00",
        "2023-01-01 10:00:00 +25:00",
        "2023-01-01T10:61:00Z",
        "2023-12-19 10:00:00",
        "2023-12-19T10:00:00.5-01:30",
    ],
)
def test_every_timestamp_yaml_cannot_make_a_day_of_is_fm012_not_a_traceback(tmp_path: Path, value: str) -> None:
    site = site_with(tmp_path, "valid")
    story = site / "cases" / "fri-fra-skemaet.md"
    story.write_text(story.read_text("utf-8").replace("dato: 2024-03-01", f"dato: {value}"), "utf-8")
    problems = build_index(site).problems
    assert [(p.path, p.line, p.code) for p in problems] == [("cases/fri-fra-skemaet.md", 4, "FM012")]
    assert value[:10] in problems[0].message


def test_a_billion_laughs_list_of_tags_is_refused_before_it_is_built(tmp_path: Path) -> None:
    """Ten levels of ten aliases would be 10^10 tags: refused from the tokens, in well under a second."""
    site = site_with(tmp_path, "valid")
    story = site / "cases" / "fri-fra-skemaet.md"
    levels = ["a0: &a0 [ha, ha, ha, ha, ha, ha, ha, ha, ha, ha]"]
    levels += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 10)]
    text = (
        story.read_text("utf-8")
        .replace("tags: [test]", "tags: *a9")
        .replace("---\n", "---\n" + "\n".join(levels) + "\n", 1)
    )
    story.write_text(text, "utf-8")
    started = time.perf_counter()
    problems = build_index(site).problems
    assert time.perf_counter() - started < 5
    assert [(p.line, p.code) for p in problems] == [(2, "FM005")]
    assert "&- eller *-tegn" in problems[0].message


def test_a_number_too_long_for_python_is_text_not_a_crash(tmp_path: Path) -> None:
    site = site_with(tmp_path, "valid")
    story = site / "cases" / "fri-fra-skemaet.md"
    story.write_text(story.read_text("utf-8").replace("title: Fri fra skemaet", "title: " + "9" * 5000), "utf-8")
    result = run_check(site)
    assert "Traceback" not in result.stderr and "Uventet fejl" not in result.stderr
    assert [line.split(" (Vejledning")[0] for line in result.stdout.splitlines()] == [
        "cases/fri-fra-skemaet.md:2: FM019 Titlen er 5.000 tegn; højst 120. "
        "Skriv en kort titel; resten hører til i selve historien."
    ]


# --- Symlinks in cases/ ---------------------------------------------------------------------------------------

SYMLINK = (
    "Filen er en genvej (et symbolsk link) og bliver ikke læst.",
    "Læg selve filen i mappen cases/ i stedet for en genvej til den.",
)


@pytest.mark.parametrize("target", ["/etc/hostname", "/", "docs", "../docs/index.md"])
def test_a_symlink_in_cases_is_refused_and_never_followed(tmp_path: Path, target: str) -> None:
    site = site_with(tmp_path)
    (site / "cases" / "genvej.md").symlink_to(target)
    (site / "cases" / "mappe").mkdir()
    (site / "cases" / "mappe" / "dybere").symlink_to(target)
    result = run_check(site)
    assert result.returncode == 1
    assert [line.split(" (Vejledning")[0] for line in result.stdout.splitlines()] == [
        f"cases/genvej.md:1: FM001 {SYMLINK[0]} {SYMLINK[1]}",
        f"cases/mappe/dybere:1: FM001 {SYMLINK[0]} {SYMLINK[1]}",
    ]
    assert "etc" not in result.stdout and "index.md" not in result.stdout  # nothing behind the link is listed
    build = mkdocs_build(site, tmp_path / "out")
    assert build.returncode != 0 and f"cases/genvej.md:1: FM001 {SYMLINK[0]}" in build.stderr


# --- References from docs pages by macro -----------------------------------------------------------------------


def add_line(site: Path, page: str, text: str) -> int:
    path = site / "docs" / page
    lines = path.read_text("utf-8").split("\n")
    lines.append(text)
    path.write_text("\n".join(lines), "utf-8")
    return len(lines)


def test_a_renamed_story_linked_from_a_docs_page_is_caught_by_check_and_build_alike(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    (site / "cases" / "aendret-aabningstid.md").rename(site / "cases" / "aendret-aabningstid-i-dagtilbud.md")
    check = run_check(site)
    expected = (
        "docs/erfaringer/eksempler-fra-praksis.md:22: FM020 Ukendt historie 'aendret-aabningstid'. "
        "Mente du 'aendret-aabningstid-i-dagtilbud'? Ret id'et i makroen."
    )
    assert check.returncode == 1
    assert [line.split(" (Vejledning")[0] for line in check.stdout.splitlines()] == [expected]
    build = mkdocs_build(site, tmp_path / "out")
    assert build.returncode != 0 and expected in build.stderr


def test_a_renamed_story_with_its_former_address_still_resolves(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    old = site / "cases" / "aendret-aabningstid.md"
    text = old.read_text("utf-8").replace("tags:", "tidligere_adresser: [historier/aendret-aabningstid/]\ntags:")
    old.unlink()
    (site / "cases" / "aendret-aabningstid-i-dagtilbud.md").write_text(text, "utf-8")
    assert build_index(site).problems == []


@pytest.mark.parametrize(
    "call,noun,wanted,hint",
    [
        ("{{ princip('kerneopgave') }}", "princip", "kerneopgave", "Mente du 'kerneopgaven'?"),
        ('{{princip("kerneopgave")}}', "princip", "kerneopgave", "Mente du 'kerneopgaven'?"),
        ("{{ hegnspael( 'retsikkerhed' ) }}", "hegnspæl", "retsikkerhed", "Mente du 'retssikkerhed'?"),
        (
            'Se {{ historie("fri-fra-laereplan") }} og mere.',
            "historie",
            "fri-fra-laereplan",
            "Mente du 'fri-fra-laereplanen'?",
        ),
    ],
)
def test_an_unknown_id_in_a_macro_call_is_reported_with_file_line_and_suggestion(
    tmp_path: Path, call: str, noun: str, wanted: str, hint: str
) -> None:
    site = site_with(tmp_path)
    line = add_line(site, "hegnspaele/index.md", call)
    assert build_index(site).problems == [
        Problem("docs/hegnspaele/index.md", line, "FM020", f"Ukendt {noun} '{wanted}'.", f"{hint} Ret id'et i makroen.")
    ]


def test_macro_calls_shown_as_raw_text_are_not_references(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    add_line(site, "hegnspaele/index.md", "{% raw %}Skriv {{ princip('dit-id') }}{% endraw %}")
    add_line(site, "hegnspaele/index.md", "Teksten princip('ikke-en-makro') er ikke i krøllede parenteser.")
    assert build_index(site).problems == []


# --- The real stories and the cost of card drawing -------------------------------------------------------------


def test_the_real_stories_pass_unchanged() -> None:
    result = run_check(ROOT)
    assert result.returncode == 0, result.stdout
    assert result.stderr.startswith("Alt i orden: 5 historier")


def test_a_30000_character_title_draws_a_card_in_well_under_a_second() -> None:
    from frisaettelse.cards import Card, draw_card

    started = time.perf_counter()
    draw_card(Card("Historie", "Fri fra skemaet " * 2000, "Skole", ("Fri fra: " + "x" * 30_000,)))
    assert time.perf_counter() - started < 1


def test_shortening_a_line_by_bisection_gives_what_trimming_one_letter_at_a_time_gave() -> None:
    from PIL import Image, ImageDraw

    from frisaettelse.cards import _fit, _font

    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    font = _font(40, bold=True)

    def one_at_a_time(text: str, width: int) -> str:
        if draw.textlength(text, font=font) <= width:
            return text
        while text and draw.textlength(text + "…", font=font) > width:
            text = text[:-1]
        return text.rstrip() + "…"

    for text in ("Forsøg med ændret åbningstid i dagtilbuddene i hele kommunen", "Kort", "W" * 90, "a b " * 40):
        for width in (50, 300, 1040):
            assert _fit(draw, text, font, width) == one_at_a_time(text, width)


# --- Bodies written to make the build slow or crash: refused in seconds, before Markdown sees them ---------------

SLOW_BODIES = {
    "unclosed tags": "<a " * 300_000,
    "escapes": "\\*" * 400_000,
    "emphasis": "*a* " * 200_000,
    "character references": "&#49;" * 150_000,
    "brackets": "[" * 100_000,
    "nested list": "\n".join("    " * n + "- punkt" for n in range(400)),
    "list markers on one line": "- " * 5000 + "a",
    "quotes": ">" * 100_000 + " a",
}


@pytest.mark.parametrize("name", sorted(SLOW_BODIES))
def test_a_body_built_to_be_slow_is_refused_quickly(tmp_path: Path, name: str) -> None:
    site = site_with(tmp_path, "valid")
    story = site / "cases" / "fri-fra-skemaet.md"
    story.write_text(story.read_text("utf-8") + "\n" + SLOW_BODIES[name] + "\n", "utf-8")
    started = time.perf_counter()
    problems = build_index(site).problems
    assert time.perf_counter() - started < 15
    assert problems and {p.code for p in problems} == {"FM042"}


def test_a_list_nested_hundreds_deep_fails_the_build_with_the_message_not_a_traceback(tmp_path: Path) -> None:
    site = site_with(tmp_path, "valid")
    story = site / "cases" / "fri-fra-skemaet.md"
    story.write_text(story.read_text("utf-8") + "\n" + SLOW_BODIES["nested list"] + "\n", "utf-8")
    check = run_check(site)
    build = mkdocs_build(site, tmp_path / "out")
    assert build.returncode != 0 and "Traceback" not in build.stderr
    depth = [line for line in check.stdout.splitlines() if DEPTH[0] in line]
    assert len(depth) == 1 and depth[0].startswith("cases/fri-fra-skemaet.md:32: FM042")
    assert depth[0].split(" (Vejledning")[0] in build.stderr


# --- The pieces: the reader's text, nesting, URL schemes -------------------------------------------------------


def test_the_readers_text_joins_a_paragraphs_lines_and_remembers_where_each_began() -> None:
    from frisaettelse.plaintext import reader_view

    view = reader_view(["> Ring **12** 34", "56 &#55;8", "", "<b>ny</b> linje\u200b"], first_line=21)
    assert view.text == "Ring 12 34 56 78\nny linje"
    assert [view.line_at(view.text.index(word)) for word in ("Ring", "56", "ny")] == [21, 22, 24]


@pytest.mark.parametrize(
    "line,depth",
    [
        ("- a", 1),
        ("    - a", 2),
        ("> > - a", 3),
        ("- - - a", 3),
        ("1. 2) a", 2),
        ("* * * * * * * * * * * *", 0),
        ("Almindelig tekst", 0),
    ],
)
def test_nesting_depth_counts_quotes_list_markers_and_indentation(line: str, depth: int) -> None:
    from frisaettelse.markup import nesting_depth

    assert nesting_depth(line) == depth


@pytest.mark.parametrize(
    "url,scheme",
    [
        ("javascript:alert(1)", "javascript"),
        (" java\tscript:x", "javascript"),
        ("java\nscript:x", "javascript"),
        ("JAVA\u200bSCRIPT:x", "javascript"),
        ("https://x.dk", "https"),
        ("../x/", None),
        ("#afsnit", None),
        ("mailto:x@y.dk", "mailto"),
        ("data:text/html,x", "data"),
    ],
)
def test_a_url_scheme_is_read_as_a_browser_reads_it(url: str, scheme: str | None) -> None:
    from frisaettelse.markup import url_scheme

    assert url_scheme(url) == scheme
