"""The personal-data guard as a reader sees the story (in memory, one changed line), and the real CLI on files no
table can write: the problem on its file and line, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import VALID_STORY, changed, fixture_files, index_with, make_site, run_cli, site_converter

from frisaettelse.load import parse_document
from frisaettelse.markup import Converter
from frisaettelse.privacy import find_personal_data
from frisaettelse.validate import STORY_RULES, Context, validate_documents


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

ENCODINGS = ("hostile_binary", "hostile_utf16", "hostile_latin1", "hostile_bom")
SITE = Context(("kerneopgaven",), ("retssikkerhed",), site_converter())


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
    ("Ring (1234)-5678", [("FM018", 21)]),  # a bracket inside the number: a finding, never a traceback
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
    "Åbent [her](https://example.dk/)0630-1700 og [her](https://example.dk/)19.12.2023",  # after a link's bracket
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


PIXEL = "sporing.example"  # a pixel is named by its host, and its hint is about readers, not HTML
UNSAFE = [  # (lines added from line 21, the line of FM015, what the message names)
    ("<script>alert('hej')</script>", 21, "<script>"),
    ("<img src=x onerror=alert(1)>", 21, "on…="),
    ('<img src="../billede.png"\nonerror="alert(1)">', 21, "on…="),
    ('<iframe\nsrc="https://example.org"></iframe>', 21, "<iframe>"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">Klik</a>', 21, "data:"),
    ('<a href="jav&#x61;script:alert(1)">Klik her</a>', 21, "javascript:"),
    ('<a href="java\nscript:alert(1)">Klik her</a>', 21, "javascript:"),
    ('<a href="https://example.org" style="position:fixed">Læs</a>', 21, "style="),
    ('Tak.<img src="https://sporing.example/p.gif" alt="">', 21, PIXEL),
    ("<javascript:alert(1)>", 21, "<javascript:alert(1)>"),
    # As Markdown renders it: links, references, attribute lists, images.
    ("[Klik her](javascript:alert(1))", 21, "javascript:"),
    ("[Klik her](jav&#x61;script:alert(1))", 21, "javascript:"),
    ("Læs [mere her][1].\n\n[1]: javascript:alert(1)", 23, "javascript:"),
    ('Et afsnit.\n{: onclick="alert(1)" }', 22, "on…="),
    ("![](https://sporing.example/p.gif)", 21, PIXEL),
]


@pytest.mark.parametrize("added,line,what", UNSAFE)
def test_unsafe_html_is_named_at_its_line(tmp_path: Path, added: str, line: int, what: str) -> None:
    problems = story_problems(tmp_path, added)
    assert [(p.path, p.line, p.code) for p in problems] == [("cases/fri-fra-skemaet.md", line, "FM015")]
    assert what in problems[0].message and ("HTML" in problems[0].hint) == (what != PIXEL)


@pytest.mark.parametrize(
    "added", ["<https://www.kl.dk/>", "<https://example.org/side?a=1>", "[KL](https://www.kl.dk/)"]
)
def test_links_and_autolinks_are_not_html(tmp_path: Path, added: str) -> None:
    assert story_problems(tmp_path, added) == []


TAGS = "\n".join("<b>Vigtigt</b> " * 10 for _ in range(52))  # 1,040 tags: the 501st on line 46
STARS = "\n\n".join("**Vigtigt** " * 100 for _ in range(13))  # 5,200 stars, in short paragraphs
TOO_COMPLEX = [  # (lines added from line 21, the line of FM042, what the message counts and its limit)
    (">" * 12 + " Citat", 21, ("10",)),
    ("[" * 250, 21, ("250", "200")),
    ("Vi fik mere tid til eleverne. " * 350, 21, ("10.500", "10.000")),
    (STARS, 16, ("5.200", "5.000")),
    (TAGS, 46, ("1.040", "500")),
    ('Vi fik <span class="tid" mere tid.', 21, ("'>'",)),
]


@pytest.mark.parametrize("added,line,says", TOO_COMPLEX)
def test_a_body_too_complex_to_render_is_refused_at_its_line(
    tmp_path: Path, added: str, line: int, says: tuple[str, ...]
) -> None:
    problems = story_problems(tmp_path, added)
    assert [(p.path, p.line, p.code) for p in problems] == [("cases/fri-fra-skemaet.md", line, "FM042")]
    assert all(words in problems[0].message for words in says), problems[0].message


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
        def convert(self, text: str, *, story_body: bool = False) -> None:
            return None

    path = tmp_path / "fri-fra-skemaet.md"
    path.write_text(VALID_STORY, encoding="utf-8")
    doc, _ = parse_document(path, "cases/fri-fra-skemaet.md")
    assert doc is not None
    problems = validate_documents([doc], STORY_RULES, Context(SITE.principle_ids, SITE.boundary_ids, Failing()))
    assert [(p.code, p.line) for p in problems] == [("FM042", 16)]


def test_the_cli_reports_files_no_table_can_write_as_the_index_does(tmp_path: Path) -> None:
    """The real command on binary, UTF-16, Latin-1 and BOM files and Windows line ends: a Danish line for each problem
    (the index's, tested row by row in test_validate.py), never a traceback; GitHub annotations on the same lines."""
    files = {name: text for fixture in ENCODINGS for name, text in fixture_files(fixture).items()}
    files["windows-linjeskift.md"] = changed("omraade: skole", "omraade: skoler").replace("\n", "\r\n")
    expected = index_with(tmp_path / "mini", files).problems
    assert len(expected) == len(files)
    site = make_site(tmp_path, keep_cases=True, stories=files)
    code, out, _ = run_cli("tjek", "--projekt", str(site))
    assert code == 1 and out.splitlines() == [p.format() for p in expected]
    github = run_cli("tjek", "--projekt", str(site), "--format", "github")[1].splitlines()
    assert [line.split(",title=")[0] for line in github] == [f"::error file={p.path},line={p.line}" for p in expected]
    assert all(line.endswith(f"#{p.code.lower()}") for line, p in zip(github, expected, strict=True))
