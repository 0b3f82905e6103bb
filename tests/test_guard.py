"""The personal-data guard and hostile files, through the real CLI: exact Danish message and line, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT, make_site, mkdocs_build

from frisaettelse.load import parse_document
from frisaettelse.markup import Converter, site_markdown
from frisaettelse.privacy import find_personal_data
from frisaettelse.problems import Problem
from frisaettelse.validate import STORY_RULES, Context, validate_documents

TOO_DEEP = "for mange lister eller felter inde i hinanden"
DEEP_HINT = "Skriv hvert felt som 'navn: værdi' på sin egen linje og lister som [kerneopgaven, hverdagsinnovation]."
UTF8_HINT = "Gem filen igen med tegnsættet UTF-8, så æ, ø og å kommer med."


HOSTILE = {
    "hostile_binary": Problem(
        "cases/billede.md",
        1,
        "FM001",
        "Filen er ikke en tekstfil (den indeholder binære data).",
        "Gem historien som almindelig tekst (Markdown, .md) med UTF-8.",
    ),
    "hostile_empty": Problem(
        "cases/tom.md", 1, "FM002", "Filen er tom.", "Start filen med felterne mellem to linjer med '---'."
    ),
    # BOM and CRLF do not shift lines: the mistakes are reported where an editor shows them.
    "hostile_bom": Problem("cases/med-bom.md", 6, "FM003", "Ukendt princip 'kerneopgave'.", "Mente du 'kerneopgaven'?"),
    "hostile_crlf": Problem(
        "cases/windows-linjeskift.md", 5, "FM010", "Ugyldig værdi 'skoler' i feltet 'omraade'.", "Mente du 'skole'?"
    ),
    "hostile_list_front_matter": Problem(
        "cases/liste.md",
        2,
        "FM006",
        "Felterne øverst i filen skal skrives som 'navn: værdi'.",
        "Skriv hvert felt på sin egen linje, fx 'title: Min historie' – ikke en liste.",
    ),
    "hostile_no_space_after_colon": Problem(
        "cases/mangler-mellemrum.md",
        2,
        "FM006",
        "Felterne øverst i filen skal skrives som 'navn: værdi'.",
        "Skriv hvert felt på sin egen linje med mellemrum efter kolon, fx 'title: Min historie'.",
    ),
    "hostile_not_markdown": Problem(
        "cases/historie.docx",
        1,
        "FM001",
        "Filen er ikke en Markdown-fil (.md).",
        "Giv filen endelsen .md, eller flyt den ud af mappen.",
    ),
    "hostile_yaml_tabs": Problem(
        "cases/tabulator.md",
        8,
        "FM005",
        "Felterne øverst i filen kan ikke læses (tabulatortegn i indrykningen).",
        "Ryk ind med mellemrum i stedet for tabulator (Tab-tasten).",
    ),
    "hostile_title_number": Problem(
        "cases/titel-tal.md",
        2,
        "FM009",
        "Feltet 'title' skal være en tekst, ikke et tal eller en dato.",
        'Sæt anførselstegn om teksten, fx title: "2024"',
    ),
    "hostile_title_date": Problem(
        "cases/titel-dato.md",
        2,
        "FM009",
        "Feltet 'title' skal være en tekst, ikke et tal eller en dato.",
        'Sæt anførselstegn om teksten, fx title: "2024-03-01"',
    ),
    "hostile_title_list": Problem(
        "cases/titel-liste.md",
        2,
        "FM009",
        "Feltet 'title' skal være en tekst, der ikke er tom.",
        "Skriv fx: title: Forsøg med ændret åbningstid",
    ),
    "hostile_duplicate_key": Problem(
        "cases/dobbelt-felt.md",
        15,
        "FM005",
        "Feltet 'omraade' står to gange (også i linje 5).",
        "Slet den ene linje, så hvert felt kun står én gang.",
    ),
    "hostile_deep_yaml": Problem(
        "cases/dyb-yaml.md", 14, "FM005", f"Felterne øverst i filen kan ikke læses ({TOO_DEEP}).", DEEP_HINT
    ),
    "hostile_deep_date": Problem(
        "cases/dyb-dato.md", 4, "FM005", f"Felterne øverst i filen kan ikke læses ({TOO_DEEP}).", DEEP_HINT
    ),
    "hostile_utf16": Problem(
        "cases/utf16.md", 1, "FM001", "Filen er gemt som UTF-16 (‘Unicode’), ikke som UTF-8.", UTF8_HINT
    ),
    "hostile_latin1": Problem("cases/latin1.md", 10, "FM001", "Filen er ikke gemt som UTF-8.", UTF8_HINT),
    "hostile_colon_in_title": Problem(
        "cases/kolon-i-titel.md",
        2,
        "FM005",
        "Felterne øverst i filen kan ikke læses (et kolon midt i en værdi).",
        'Sæt anførselstegn om tekst med kolon, fx title: "Fri fra: læreplanen".',
    ),
    "hostile_subfolder": Problem(
        "cases/dagtilbud/fri-fra-skemaet.md",
        1,
        "FM001",
        "Filen ligger i en undermappe og bliver ikke udgivet.",
        "Flyt filen direkte ind i mappen cases/.",
    ),
    "hostile_unclosed_quote": Problem(
        "cases/manglende-anfoerselstegn.md",
        8,
        "FM005",
        "Felterne øverst i filen kan ikke læses (et anførselstegn bliver ikke lukket).",
        "Afslut teksten med det samme anførselstegn, som den begynder med, på samme linje.",
    ),
}


def run_check(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command a contributor (and CI) runs."""
    env = {**os.environ, "SITE_URL": ""}
    return subprocess.run(
        [sys.executable, "-m", "frisaettelse", "check", "--root", str(site), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def assert_reports_exactly(result: subprocess.CompletedProcess[str], expected: Problem) -> None:
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [expected.format()]
    assert "1 problem fundet. Ret det og kør tjekket igen." in result.stderr


@pytest.mark.parametrize(
    "text",
    [
        "2023-12-19",
        "19.12.2023",
        "1.500.000 kr.",
        "25000 kr.",
        "25000000 kr.",
        "12 500 000 kr.",
        "i 2023",
        "9520 Skørping",
        "ISBN 978-87-93950-92-4",
        "perioden 2023–2027",
        "2023 2027",
        "kl. 07.30",
        "1. november 2027",
        "3213451234",
        "321345-1234",
        "12345678901",
        "12 34 56 78 90",
        "side 12, 34 og 56",
        "1234-0102031234",
        "3.0102031234",
        "2023-12345678",
        # Context says what the number is: an amount, a clock time, a year range, a date range, a CVR, ISBN or EAN.
        "CVR 12345674",
        "CVR-nr. 12345674",
        "kr. 25000000",
        "25000000 kroner",
        "25.000.000 kr.",
        "mio. 12500000",
        "12500000 DKK",
        "kl. 0630 0700",
        "kl. 06.30-07.00",
        "06.30-07.00",
        "kl. 10:30-11:00",
        "2023-2027",
        "2023 - 2027",
        "1999/2000",
        "01.02-03.04",
        "1.2.2023-3.4.2023",
        "2023-02-30",
        "30.02.2023",
        "EAN 5701234567899",
        "ISSN 0317-8471",
        "12 34 56 78 90 timer",
    ],
)
def test_ordinary_number_formats_are_not_personal_data(text: str) -> None:
    assert list(find_personal_data(f"Her står {text} i en sætning.")) == []


@pytest.mark.parametrize(
    "text,code",
    [
        ("CPR: 010203-1234.", "FM016"),
        ("CPR-nr.010203-1234", "FM016"),
        ("CPR-010203-1234", "FM016"),
        ("tlf.12345678", "FM018"),
        ("(010203-1234)", "FM016"),
        ("010203 1234", "FM016"),
        ("050505-5555, 060606-6666", "FM016"),
        ("tlf. 12345678.", "FM018"),
        ("0045 12345678", "FM018"),
        ("tlf. 99 88 77 66", "FM018"),
        ("+45 12 34 56 78,", "FM018"),
        ("x@y.dk", "FM017"),
        # As an attacker would write them: whatever the separators, emphasis, references, invisible or wide characters.
        ("01**02**03-1234", "FM016"),
        ("01.02.03.12.34", "FM016"),
        ("01 02 03 12 34", "FM016"),
        ("0&#49;0203-1234", "FM016"),
        ("01\u200b0203\u00ad-1234", "FM016"),
        ("０１０２０３－１２３４", "FM016"),
        ("01<span></span>0203-1234", "FM016"),
        ("0102<!-- x -->031234", "FM016"),
        ("`010203`-`1234`", "FM016"),
        ("12.34.56.78", "FM018"),
        ("12/34/56/78", "FM018"),
        ("12-34-56-78", "FM018"),
        ("1-2-3-4-5-6-7-8", "FM018"),
        ("1 2 3 4 5 6 7 8", "FM018"),
        ("12\u00ad34\u00ad56\u00ad78", "FM018"),
        ("*12* *34* *56* *78*", "FM018"),
        ("12\\-34\\-56\\-78", "FM018"),
        ("１２３４５６７８", "FM018"),
        ("+45 1234 5678", "FM018"),
        ("(+45) 12345678", "FM018"),
        ("2023-12-19 12345678", "FM018"),
        ("12 34\n56 78", "FM018"),
        ("kl. 12345678", "FM018"),
        ("kr. 12 34 56 78", "FM018"),
        ("CVR 12345678", "FM018"),
        ("EAN 12345678", "FM018"),
        ("pia&#64;rebild.dk", "FM017"),
        ("pia＠rebild．dk", "FM017"),
        ("p*ia*@rebild.dk", "FM017"),
        ("pia (at) rebild.dk", "FM017"),
        ("pia[at]rebild[dot]dk", "FM017"),
        ("pia @ rebild.dk", "FM017"),
        ("pia\u200b@rebild.dk", "FM017"),
        ("[skriv](mailto:pia@rebild.dk)", "FM017"),
    ],
)
def test_personal_data_at_sentence_ends_and_in_lists_is_caught(text: str, code: str) -> None:
    assert code in {f.code for f in find_personal_data(f"Her står {text} i en sætning.")}


# --- Personal data in a story, as a reader sees it: one valid story plus one changed line, in memory -----------------

VALID_STORY = (FIXTURES / "valid" / "cases" / "fri-fra-skemaet.md").read_text(encoding="utf-8")  # body ends line 20
SITE = Context(("kerneopgaven",), ("retssikkerhed",), Converter(site_markdown(ROOT / "mkdocs.yml")))


def story_problems(tmp_path: Path, added: str = "", *, field: tuple[str, str] | None = None, name: str = "") -> list:
    """The valid story with `added` after its last line (line 21 on), a field's line replaced, or another name."""
    text = VALID_STORY + added + ("\n" if added else "")
    if field is not None:
        key, value = field
        text = "\n".join(f"{key}: {value}" if line.startswith(f"{key}:") else line for line in text.split("\n"))
    path = tmp_path / f"{name or 'fri-fra-skemaet'}.md"
    path.write_text(text, encoding="utf-8")
    doc, problems = parse_document(path, f"cases/{path.name}")
    assert doc is not None, problems
    return validate_documents([doc], STORY_RULES, SITE)


FOUND = [
    # CPR numbers as a browser shows them: runs of white space are one space, dashes, links, cells, marks, blanks.
    ("010203     1234", [("FM016", 21)]),
    ("010203\t\t1234", [("FM016", 21)]),
    ("010203 -- 1234", [("FM016", 21)]),
    ("Se 0102[03-1234](https://example.dk/) her", [("FM016", 21)]),
    ("| a | b |\n|---|---|\n| 010203 | 1234 |", [("FM016", 23)]),
    ("01\u03010203-1234", [("FM016", 21)]),
    ("010203\u28001234", [("FM016", 21)]),
    ("[siden](https://example.dk/?cpr=010203%2D1234)", [("FM016", 21)]),
    ("<https://example.dk/?c=0102031234>", [("FM016", 21)]),
    ("010203\u00a01234", [("FM016", 21)]),
    ("010203\u2009-\u20091234", [("FM016", 21)]),
    ("010203\u202f1234", [("FM016", 21)]),
    ("0102\u00ad03-1234", [("FM016", 21)]),
    ("０１０２０３－１２３４", [("FM016", 21)]),
    ("٠١٠٢٠٣-١٢٣٤", [("FM016", 21)]),
    ("&#48;10203-&#x31;234", [("FM016", 21)]),
    ("01**02**03-1234", [("FM016", 21)]),
    ("0102<!-- x -->031234", [("FM016", 21)]),
    ("01<span>02</span>03-1234", [("FM016", 21)]),
    ("Se [0102][a]03-1234.\n\n[a]: https://example.dk/", [("FM016", 21)]),
    ("## Om 010203-1234", [("FM016", 21)]),
    ("- punkt\n- 010203-1234", [("FM016", 22)]),
    ("> 010203-1234", [("FM016", 21)]),
    ("Første linje\nog så 010203-\n1234 her", [("FM016", 22)]),
    ("![010203-1234](billede.png)", [("FM016", 21)]),
    ('[x](https://example.dk/ "010203-1234")', [("FM016", 21)]),
    ("`010203-1234`", [("FM016", 21)]),
    ("<!-- 010203-1234 -->", [("FM016", 21)]),  # not on the page, but in the public repository
    ("P-nummer 1003388697, CPR 100338-8697", [("FM016", 21)]),
    # Phone numbers: two on a line are two problems.
    ("12 34 56 78 / 87 65 43 21", [("FM018", 21), ("FM018", 21)]),
    ("45 12 34 56 78", [("FM018", 21)]),
    ("12    34    56    78", [("FM018", 21)]),
    ("+45 12 34 56 78", [("FM018", 21)]),
    ("0045 12345678", [("FM018", 21)]),
    ("12/34/56/78", [("FM018", 21)]),
    ("1-2-3-4-5-6-7-8", [("FM018", 21)]),
    ("tlf.12345678", [("FM018", 21)]),
    ("١٢٣٤٥٦٧٨", [("FM018", 21)]),
    ("12\u00a034\u00a056\u00a078", [("FM018", 21)]),
    ("*12* *34* 56 78", [("FM018", 21)]),
    ("[ring](https://example.dk/?tlf=12345678)", [("FM018", 21)]),
    # E-mail addresses, however they are written.
    ("pia @ rebild . dk", [("FM017", 21)]),
    ("pia@rebild。dk", [("FM017", 21)]),
    ("[skriv](mailto:pia%40rebild.dk)", [("FM017", 21)]),
    ("pia at rebild dot dk", [("FM017", 21)]),
    ("pia&#64;rebild.dk", [("FM017", 21)]),
    ("<pia@rebild.dk>", [("FM017", 21)]),
    ("pia (at) rebild (dot) dk", [("FM017", 21)]),
    ("pia＠rebild．dk", [("FM017", 21)]),
    ("pia@*rebild*.dk", [("FM017", 21)]),
    ("pia@rebild\u200b.dk", [("FM017", 21)]),
    ('<a href="mailto:pia&#37;40rebild.dk">skriv</a>', [("FM017", 21)]),
    # Text a reader sees outside the paragraph: tooltips, titles, definitions.
    ('<span title="010203-1234">x</span>', [("FM016", 21)]),
    ("Ring til os\n\n*[os]: 12 34 56 78", [("FM018", 23)]),
    ('!!! note "Ring 12 34 56 78"\n    Tekst.', [("FM018", 21)]),
    ("Begreb\n:   010203-1234", [("FM016", 22)]),
    ("12\u200d34\u200d56\u200d78", [("FM018", 21)]),
]


@pytest.mark.parametrize("added,expected", FOUND)
def test_personal_data_is_found_as_a_reader_sees_it_on_its_line(tmp_path: Path, added: str, expected: list) -> None:
    problems = story_problems(tmp_path, added)
    assert sorted((p.code, p.line) for p in problems) == sorted(expected)
    for problem in problems:  # the message goes to public CI logs: masked, never the number or the person's name
        assert problem.path == "cases/fri-fra-skemaet.md"
        for secret in ("0203", "1234", "5678", "6543", "pia"):
            assert secret not in problem.message


@pytest.mark.parametrize(
    "field,line",
    [
        (("title", "Ring 12 34 56 78"), 2),
        (("description", '"Ring 12\\u00a034\\u00a056\\u00a078"'), 3),
        (("fri_til", "Mail pia at rebild dot dk"), 10),
        (("citat_rolle", '"010203\\t\\t1234"'), 11),
        (("tags", "[test, 010203-1234]"), 14),
        (("fri_fra", '"Ring \\x312 34 56 78"'), 8),  # a YAML escape
        (("description", '"Skriv til pia@\n  rebild.dk"'), 3),  # a quoted value folded over two lines
    ],
)
def test_personal_data_in_a_field_is_found_at_its_line(tmp_path: Path, field: tuple[str, str], line: int) -> None:
    assert [p.line for p in story_problems(tmp_path, field=field) if p.code in ("FM016", "FM017", "FM018")] == [line]


@pytest.mark.parametrize("name", ["cpr-010203-1234", "ring-12-34-56-78"])
def test_personal_data_in_the_file_name_is_found(tmp_path: Path, name: str) -> None:
    assert [(p.line, p.code in ("FM016", "FM018")) for p in story_problems(tmp_path, name=name)] == [(1, True)]


HARMLESS = [
    "CVR-nummer 29189617",
    "side 1023-1031",
    "25.000.000",
    "P-nummer 1003388697",
    "Åbent 0630-1700",
    "0630-1700",
    "i 2023 og 2024",
    "Mødet var 19.12.2023 og 2023-12-19",
    "1.500.000 kr.",
    "12 500 000",
    "ISBN 978-87-93950-92-4",
    "EAN 5701234567899",
    "kl. 06.30-07.00",
    "aftalen gælder 2023-2027",
    "9520 Skørping",
    "Vi var 12 pædagoger og 120 børn i uge 48 og 49",
    "for at gøre det og at prøve det",
    "Læs [loven](https://www.retsinformation.dk/eli/lta/2023/1234).",
    "| År | Antal |\n|---|---|\n| 2023 | 1234 |",
    "j.nr. 2023/1234",
    # Ordinary text of stories: case numbers, amounts, hours, ranges.
    "Sagsnummer 3213451234 og bilag 9999991234 er ikke CPR-numre, og det er 321345-1234 heller ikke.",
    "Kommunens CVR-nr. 12345674 står på fakturaen, og budgettet var kr. 25000000 (25000000 kroner).",
    "Puljen var på mio. 12500000, og vi holdt åbent kl. 0630 0700 og kl. 06.30-07.00.",
    "Aftalen gælder 2023-2027 (2023 2027), og pjecen har ISBN 978-87-93950-92-4.",
    "Forsøget kørte 1.2.2023-3.4.2023 og igen 01.02-03.04, i alt 12 34 56 78 90 timer.",
    "Mødet var 2023-12-19 (19.12.2023) kl. 07.30. Budgettet var 1.500.000 kr., heraf 25000 kr. til kurser.\n"
    "I 2024 flyttede vi til 9520 Skørping. Pjecen har ISBN 978-87-93950-92-4, og aftalen gælder 2023–2027.",
]


@pytest.mark.parametrize("added", HARMLESS)
def test_harmless_numbers_and_words_pass(tmp_path: Path, added: str) -> None:
    assert story_problems(tmp_path, added) == []


HTML_HINT = "Skriv almindelig tekst og Markdown-links; fjern HTML-koden."
IMAGE_HINT = (
    "Billeder fra andre hjemmesider henter oplysninger om læserne, når siden vises. "
    "Fjern billedet, eller spørg redaktionen."
)
PIXEL = "et billede fra en anden hjemmeside (sporing.example)"
UNSAFE = [  # (lines added from line 21, the line of FM015, what the message names, hint)
    ("<script>alert('hej')</script>", 21, "HTML-mærket <script>", HTML_HINT),
    ("<img src=x onerror=alert(1)>", 21, "en HTML-hændelse (on…=)", HTML_HINT),
    ('<img src="../billede.png"\nonerror="alert(1)">', 21, "en HTML-hændelse (on…=)", HTML_HINT),
    ('<iframe\nsrc="https://example.org"></iframe>', 21, "HTML-mærket <iframe>", HTML_HINT),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">Klik</a>', 21, "et data:-link", HTML_HINT),
    ('<a href="jav&#x61;script:alert(1)">Klik her</a>', 21, "et javascript:-link", HTML_HINT),
    ('<a href="java\nscript:alert(1)">Klik her</a>', 21, "et javascript:-link", HTML_HINT),
    ('<a href="https://example.org" style="position:fixed">Læs</a>', 21, "attributten style= i <a>", HTML_HINT),
    ('Tak.<img src="https://sporing.example/p.gif" alt="">', 21, PIXEL, IMAGE_HINT),
    ("<javascript:alert(1)>", 21, "HTML-mærket <javascript:alert(1)>", HTML_HINT),
    # As Markdown renders it: links, references, attribute lists, images.
    ("[Klik her](javascript:alert(1))", 21, "et javascript:-link", HTML_HINT),
    ("[Klik her](jav&#x61;script:alert(1))", 21, "et javascript:-link", HTML_HINT),
    ("Læs [mere her][1].\n\n[1]: javascript:alert(1)", 23, "et javascript:-link", HTML_HINT),
    ('Et afsnit.\n{: onclick="alert(1)" }', 22, "en HTML-hændelse (on…=)", HTML_HINT),
    ("![](https://sporing.example/p.gif)", 21, PIXEL, IMAGE_HINT),
]


@pytest.mark.parametrize("added,line,what,hint", UNSAFE)
def test_unsafe_html_is_named_at_its_line(tmp_path: Path, added: str, line: int, what: str, hint: str) -> None:
    message = f"Historien indeholder {what}, som ikke er tilladt."
    assert story_problems(tmp_path, added) == [Problem("cases/fri-fra-skemaet.md", line, "FM015", message, hint)]


@pytest.mark.parametrize(
    "added", ["<https://www.kl.dk/>", "<https://example.org/side?a=1>", "[KL](https://www.kl.dk/)"]
)
def test_links_and_autolinks_are_not_html(tmp_path: Path, added: str) -> None:
    assert story_problems(tmp_path, added) == []


SPLIT_HINT = "Del afsnittet op med en tom linje, eller skriv mere almindelig tekst."
TAGS = "\n".join("<b>Vigtigt</b> " * 10 for _ in range(52))  # 1,040 tags: the 501st on line 46
STARS = "\n\n".join("**Vigtigt** " * 100 for _ in range(13))  # 5,200 stars, in short paragraphs
TOO_COMPLEX = [  # (lines added from line 21, the line of FM042, message, hint): never handed to Markdown
    (
        ">" * 12 + " Citat",
        21,
        "Lister eller citater står mere end 10 niveauer inde i hinanden.",
        "Skriv teksten med færre niveauer; en historie har sjældent brug for mere end to.",
    ),
    ("[" * 250, 21, "Afsnittet har 250 firkantede parenteser ([); højst 200.", SPLIT_HINT),
    ("Vi fik mere tid til eleverne. " * 350, 21, "Afsnittet er 10.500 tegn langt; højst 10.000.", SPLIT_HINT),
    (
        STARS,
        16,
        "Historien har 5.200 tegn, der styrer formateringen (*, _, `, \\, [, <, &); højst 5.000.",
        "Skriv mere almindelig tekst og mindre formatering.",
    ),
    (
        TAGS,
        46,
        "Historien har 1.040 HTML-mærker (<…); højst 500.",
        "Skriv almindelig tekst og Markdown i stedet for HTML.",
    ),
    (
        'Vi fik <span class="tid" mere tid.',
        21,
        "Et HTML-mærke bliver ikke lukket med '>'.",
        "Luk mærket med >, eller skriv < som 'mindre end'.",
    ),
]


@pytest.mark.parametrize("added,line,message,hint", TOO_COMPLEX)
def test_a_body_too_complex_to_render_is_refused_at_its_line(
    tmp_path: Path, added: str, line: int, message: str, hint: str
) -> None:
    assert story_problems(tmp_path, added) == [Problem("cases/fri-fra-skemaet.md", line, "FM042", message, hint)]


@pytest.mark.parametrize(
    "added,line",
    [
        ("Se &#123;&#123; config &#125;&#125; her.", 21),
        ("Se {{ config }} her.", 21),
        ("Første linje\nog {% if x %} her", 22),
        ("Se {<!-- -->{ config }}", 21),
    ],
)
def test_template_code_in_the_body_is_refused_as_written_and_as_read(tmp_path: Path, added: str, line: int) -> None:
    assert [(p.code, p.line) for p in story_problems(tmp_path, added)] == [("FM014", line)]


def test_a_body_markdown_cannot_convert_is_refused_not_a_traceback(tmp_path: Path) -> None:
    class Failing(Converter):
        def convert(self, text: str) -> None:
            return None

    path = tmp_path / "fri-fra-skemaet.md"
    path.write_text(VALID_STORY, encoding="utf-8")
    doc, _ = parse_document(path, "cases/fri-fra-skemaet.md")
    assert doc is not None
    problems = validate_documents([doc], STORY_RULES, Context(SITE.principle_ids, SITE.boundary_ids, Failing()))
    assert [(p.code, p.line) for p in problems] == [("FM042", 16)]


def test_check_and_the_build_refuse_a_number_only_the_page_shows_on_the_same_line(tmp_path: Path) -> None:
    """Split over two table cells: no line holds the number, the page does."""
    site = make_site(tmp_path, "valid", keep_cases=True)
    story = site / "cases" / "fri-fra-skemaet.md"
    story.write_text(story.read_text("utf-8") + "| a | b |\n|---|---|\n| 010203 | 1234 |\n", "utf-8")
    check = run_check(site)
    assert check.returncode == 1
    assert [line.split(": FM")[0] for line in check.stdout.splitlines()] == ["cases/fri-fra-skemaet.md:23"]
    build = mkdocs_build(site, tmp_path / "out")
    assert build.returncode != 0 and "Traceback" not in build.stderr
    assert check.stdout.splitlines()[0].split(" (Vejledning")[0] in build.stderr


@pytest.mark.parametrize("fixture", sorted(HOSTILE))
def test_hostile_input_gets_a_danish_message_not_a_traceback(tmp_path: Path, fixture: str) -> None:
    assert_reports_exactly(run_check(make_site(tmp_path, fixture, keep_cases=True)), HOSTILE[fixture])


def test_a_5_mb_file_is_refused_politely(tmp_path: Path) -> None:
    """Generated here rather than committed: five megabytes of story in the repository would be its own problem."""
    site = make_site(tmp_path, "valid", keep_cases=True)
    (site / "cases" / "kaempe.md").write_bytes(b"---\ntitle: Stor\n---\n" + b"Meget lang tekst. " * 300_000)
    expected = Problem(
        "cases/kaempe.md",
        1,
        "FM001",
        "Filen er for stor (5400 kB; højst 1000 kB).",
        "En historie er tekst på en side eller to; fjern indsatte billeder eller data.",
    )
    assert_reports_exactly(run_check(site), expected)


def test_github_annotations_point_at_the_exact_line_in_danish(tmp_path: Path) -> None:
    result = run_check(make_site(tmp_path, "hostile_crlf", keep_cases=True), "--format", "github")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=cases/windows-linjeskift.md,line=5,title=FM010::Ugyldig værdi 'skoler' i feltet 'omraade'. "
        "Mente du 'skole'? Vejledning: https://rebild-kommune.github.io/frisaettelse/bidrag/felter-og-fejlkoder/#fm010"
    ]
