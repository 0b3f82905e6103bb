"""Content rules, table-driven and in memory: the valid story with one change (or a file a table can write), and the
Problem each change must give: file, line, code and the words of the message that identify the rule (the value read,
the suggestion, the limit), never the whole sentence. Only files no table can write as text (encodings, binary data)
come from `tests/fixtures/`."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest
from helpers import FIXTURES, ROOT, VALID_STORY, changed, fixture_files, index_with

from frisaettelse.problems import Code
from frisaettelse.validate import GUIDE

REAL_STORIES = {path.stem for path in (ROOT / "cases").glob("*.md")}


class Rule(NamedTuple):
    files: dict[str, str | bytes]  # written into cases/ beside the real stories
    path: str
    line: int
    code: str
    says: tuple[str, ...] = ()  # what identifies the rule in the message and hint (values, suggestions, limits)


def one(name: str, text: str | bytes, line: int, code: str, *says: str) -> Rule:
    """A row with one story file."""
    return Rule({name: text}, f"cases/{name}", line, code, says)


def deep(key: str, levels: int) -> str:
    return f"{key}: " + "[" * levels + "]" * levels


DEEP_LIST = "\n".join("    " * n + "- punkt" for n in range(12))  # the 11th level on line 31
TITLE = "title: Fri fra skemaet"

RULES: dict[str, Rule] = {
    # Reading the file and its front-matter.
    "no_front_matter": one("ingen-front-matter.md", "# Fri fra skemaet\n\nVi fik mere tid.\n", 1, "FM002", "---"),
    "empty_file": one("tom.md", "", 1, "FM002"),
    "yaml_broken": one("brudt-yaml.md", changed("omraade: skole", "omraade: [skole"), 5, "FM005", "[", "]"),
    "yaml_tabs": one(
        "tabulator.md", changed("hegnspaele: [retssikkerhed]", "hegnspaele:\n\t- retssikkerhed"), 8, "FM005", "Tab"
    ),
    "yaml_unclosed_quote": one(
        "manglende-anfoerselstegn.md", changed("fri_fra: Et skema", 'fri_fra: "Et skema'), 8, "FM005"
    ),
    "yaml_colon_in_title": one("kolon-i-titel.md", changed(TITLE, "title: Fri fra: skemaet"), 2, "FM005", "kolon"),
    "yaml_duplicate_key": one(
        "dobbelt-felt.md", changed("tags: [test]", "tags: [test]\nomraade: dagtilbud"), 15, "FM005", "'omraade'", "5"
    ),
    "yaml_alias": one(
        "yaml-henvisninger.md",
        changed("tags: [test]", "tags: [*skema, *skema, *skema, *skema]", changed("fri_fra: Et", "fri_fra: &skema Et")),
        8,
        "FM005",
        "&",
        "*",
    ),
    "yaml_deep_list": one("dyb-yaml.md", changed("tags: [test]", deep("tags", 5000)), 14, "FM005"),
    "yaml_deep_date": one("dyb-dato.md", changed("dato: 2024-03-01", deep("dato", 200)), 4, "FM005"),
    "front_matter_list": one(
        "liste.md", "---\n- title: Fri fra skemaet\n- dato: 2024-03-01\n---\n\nTekst.\n", 2, "FM006"
    ),
    "no_space_after_colon": one("mangler-mellemrum.md", "---\ntitle:Fri fra skemaet\n---\n\nTekst.\n", 2, "FM006"),
    "crlf_keeps_lines": one(
        "windows-linjeskift.md",
        changed("omraade: skole", "omraade: skoler").replace("\n", "\r\n"),
        5,
        "FM010",
        "'skoler'",
        "'skole'",
    ),
    # Files in cases/ that are not stories.
    "not_markdown": one("historie.docx", b"PK\x03\x04 not really a docx", 1, "FM001", ".md"),
    "sub_folder": Rule({"dagtilbud/fri-fra-skemaet.md": VALID_STORY}, "cases/dagtilbud/fri-fra-skemaet.md", 1, "FM001"),
    "too_big": one("kaempe.md", b"---\ntitle: Stor\n---\n" + b"Meget lang tekst. " * 300_000, 1, "FM001", "5400"),
    # Files no table can write as text: their bytes are the fixture (BOM and CRLF do not shift lines).
    "binary": Rule(fixture_files("hostile_binary"), "cases/billede.md", 1, "FM001"),
    "utf16": Rule(fixture_files("hostile_utf16"), "cases/utf16.md", 1, "FM001", ("UTF-16", "UTF-8")),
    "latin1": Rule(fixture_files("hostile_latin1"), "cases/latin1.md", 10, "FM001", ("UTF-8",)),
    "bom_keeps_lines": Rule(fixture_files("hostile_bom"), "cases/med-bom.md", 6, "FM003", ("'kerneopgave'",)),
    # Fields and their values.
    "missing_key": one("mangler-felt.md", changed("fri_til: Mere tid til eleverne.\n", ""), 14, "FM007", "'fri_til'"),
    "unknown_key": one(
        "ukendt-felt.md",
        changed("kilde: indsendt", "forfatter: Hans Hansen\nkilde: indsendt"),
        12,
        "FM008",
        "'forfatter'",
    ),
    "unknown_principle": one(
        "ukendt-princip.md",
        changed("principper: [kerneopgaven]", "principper:\n  - hverdagsinnovation\n  - kerneopgave"),
        8,
        "FM003",
        "'kerneopgave'",
        "'kerneopgaven'",
    ),
    "unknown_boundary": one(
        "ukendt-hegnspael.md",
        changed("hegnspaele: [retssikkerhed]", "hegnspaele: [retsikkerhed]"),
        7,
        "FM004",
        "'retsikkerhed'",
        "'retssikkerhed'",
    ),
    "unknown_area": one(
        "ukendt-omraade.md", changed("omraade: skole", "omraade: skoler"), 5, "FM010", "'skoler'", "'skole'"
    ),
    "empty_principles": one(
        "tom-principliste.md", changed("principper: [kerneopgaven]", "principper: []"), 6, "FM011", "'principper'"
    ),
    "title_number": one("titel-tal.md", changed(TITLE, "title: 2024"), 2, "FM009", "'title'", '"2024"'),
    "title_date": one("titel-dato.md", changed(TITLE, "title: 2024-03-01"), 2, "FM009", "'title'", '"2024-03-01"'),
    "title_list": one("titel-liste.md", changed(TITLE, "title: [Fri, fra, skemaet]"), 2, "FM009", "'title'"),
    # Dates: written in words, or timestamps YAML reads that are not days.
    "date_in_words": one(
        "ugyldig-dato.md",
        changed("dato: 2024-03-01", "dato: 1. marts 2024"),
        4,
        "FM012",
        "'1. marts 2024'",
        "2024-03-01",
    ),
    "date_month_13": one("maaned-13.md", changed("dato: 2024-03-01", "dato: 2023-13-01"), 4, "FM012", "'2023-13-01'"),
    "date_february_30": one(
        "30-februar.md", changed("dato: 2024-03-01", "dato: 2023-02-30"), 4, "FM012", "'2023-02-30'"
    ),
    "date_invalid_timestamp": one(
        "tidsstempel.md",
        changed("dato: 2024-03-01", "dato: 2023-02-30T10:00:00+01:00"),
        4,
        "FM012",
        "'2023-02-30T10:00:00+01:00'",
    ),
    "date_with_time": one(
        "dato-med-klokkeslaet.md",
        changed("dato: 2024-03-01", "dato: 2023-12-19 10:00:00"),
        4,
        "FM012",
        "'2023-12-19 10:00:00'",
    ),
    # File names: two files with one address, and addresses the site uses for its own pages.
    "duplicate_slug": Rule(
        {"aendret-tid.md": VALID_STORY, "ændret-tid.md": VALID_STORY},
        "cases/ændret-tid.md",
        1,
        "FM013",
        ("cases/aendret-tid.md", "'aendret-tid'"),
    ),
    "reserved_index": one("index.md", VALID_STORY, 1, "FM013", "historier/index/"),
    "reserved_side": one("side.md", VALID_STORY, 1, "FM013", "historier/side/"),
    "reserved_omraade": one("Omraade.md", VALID_STORY, 1, "FM013", "historier/omraade/"),
    # Template code, as written and as YAML decodes it.
    "jinja_in_body": one(
        "skabelonkode.md", VALID_STORY + "{{ lipsum.__globals__['os'].popen('id').read() }}\n", 21, "FM014", "{{"
    ),
    "jinja_yaml_escape": one(
        "skabelonkode-escape.md", changed(TITLE, 'title: "Fri fra \\x7b\\x7b config \\x7d\\x7d"'), 2, "FM014", "{{"
    ),
    # Field values as YAML decodes them and a reader sees them: escapes, folded strings, references, wide forms.
    "field_yaml_escape": one(
        "titel-med-escape.md",
        changed(TITLE, 'title: "Fri fra skemaet \\x3cimg src=x onerror=alert(1)\\x3e"'),
        2,
        "FM040",
        "'title'",
        "'<'",
    ),
    "field_folded": one(
        "resume-over-to-linjer.md",
        changed(
            "description: En kort historie til test.",
            'description: "En kort historie \\\n  \\x3cscript\\x3e til test."',
        ),
        3,
        "FM040",
        "'description'",
        "'<'",
    ),
    "field_tag_markup": one(
        "emneord-med-html.md",
        changed("tags: [test]", 'tags: [skema, "\\x3cimg src=x onerror=alert(1)\\x3e"]'),
        14,
        "FM040",
        "'tags'",
        "'<'",
    ),
    "field_entity": one(
        "tegnkode-i-felt.md",
        changed("fri_til: Mere tid til", "fri_til: Mere tid &lt;script&gt; til"),
        10,
        "FM040",
        "'fri_til'",
        "'<'",
    ),
    "field_fullwidth": one("bred-form.md", changed(TITLE, "title: Fri fra ＜script＞"), 2, "FM040", "'title'", "'<'"),
    "field_control": one(
        "styretegn.md", changed("fri_fra: Et skema", 'fri_fra: "Et skema\\x07"'), 8, "FM040", "'fri_fra'", "U+0007"
    ),
    "field_invisible": one(
        "usynligt-tegn.md",
        changed("citat_rolle: Lærer,", "citat_rolle: Lærer\u200b,"),
        11,
        "FM040",
        "'citat_rolle'",
        "U+200B",
    ),
    # Limits.
    "title_long": one(
        "lang-titel.md", changed(TITLE, "title: " + "Fri fra skemaet og " * 7 + "mere"), 2, "FM019", "137", "120"
    ),
    "description_long": one(
        "langt-resume.md",
        changed(
            "description: En kort historie til test.", "description: " + "En kort historie til test, " * 8 + "slut."
        ),
        3,
        "FM019",
        "221",
        "200",
    ),
    "title_too_long_for_python_int": one("tal-titel.md", changed(TITLE, "title: " + "9" * 5000), 2, "FM019", "5.000"),
    "tags_many": one(
        "mange-emneord.md",
        changed("tags: [test]", "tags: [" + ", ".join(f"emne{n}" for n in range(11)) + "]"),
        14,
        "FM041",
        "11",
        "10",
    ),
    "tag_long": one(
        "langt-emneord.md", changed("tags: [test]", "tags: [" + "skema" * 9 + "]"), 14, "FM041", "45", "40"
    ),
    "tag_no_letters": one("emneord-uden-bogstaver.md", changed("tags: [test]", 'tags: ["!!!"]'), 14, "FM041", "'!!!'"),
    "body_deep_list": one("dyb-liste.md", VALID_STORY + DEEP_LIST + "\n", 31, "FM042", "10"),
}


@pytest.mark.parametrize("name", sorted(RULES))
def test_each_rule_is_reported_on_its_file_and_line(tmp_path: Path, name: str) -> None:
    rule = RULES[name]
    problems = index_with(tmp_path, rule.files).problems
    assert [(p.path, p.line, p.code) for p in problems] == [(rule.path, rule.line, rule.code)]
    for words in rule.says:
        assert words in f"{problems[0].message} {problems[0].hint}", words


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
    problems = index_with(tmp_path, {"x.md": changed("dato: 2024-03-01", f"dato: {value}")}).problems
    assert [(p.path, p.line, p.code) for p in problems] == [("cases/x.md", 4, "FM012")]
    assert value[:10] in problems[0].message


def test_the_valid_story_has_no_problems_and_is_indexed(tmp_path: Path) -> None:
    index = index_with(tmp_path, {"fri-fra-skemaet.md": VALID_STORY})
    assert index.problems == []
    assert set(index.stories) == REAL_STORIES | {"fri-fra-skemaet"}


def test_every_problem_is_collected_not_just_the_first(tmp_path: Path) -> None:
    names = ("unknown_principle", "unknown_area", "jinja_in_body", "missing_key")
    files = {name: text for rule in names for name, text in RULES[rule].files.items()}
    found = sorted((p.path, p.code) for p in index_with(tmp_path, files).problems)
    assert found == sorted((RULES[rule].path, RULES[rule].code) for rule in names)


def test_valid_stories_beside_invalid_ones_are_still_indexed(tmp_path: Path) -> None:
    """Nothing valid is dropped because a neighbour is broken."""
    index = index_with(tmp_path, {"fri-fra-skemaet.md": VALID_STORY, **RULES["yaml_broken"].files})
    assert set(index.stories) == REAL_STORIES | {"fri-fra-skemaet"}
    assert [p.code for p in index.problems] == ["FM005"]


def test_every_code_has_guide_text_and_every_guide_entry_is_a_code() -> None:
    """No orphan either way: fejlkoder.toml and `Code` name the same codes, each with a title, an explanation and a
    fix; every code the rules give is one of them."""
    assert set(GUIDE) == set(Code)
    assert all(set(text) == {"title", "explain", "fix"} and all(text.values()) for text in GUIDE.values())
    assert {rule.code for rule in RULES.values()} <= set(Code)


def test_fixture_folders_are_only_for_files_a_table_cannot_write() -> None:
    """Each new rule is a row above, not a folder: the folders stay few (issue 19 budget: 20)."""
    assert len([path for path in FIXTURES.iterdir() if path.is_dir()]) <= 20
