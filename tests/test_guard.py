"""The personal-data guard and hostile files, through the real CLI: exact Danish message and line, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import make_site

from frisaettelse.privacy import find_personal_data
from frisaettelse.problems import Problem

CPR_HINT = "Fjern CPR-nummeret helt – historier må aldrig indeholde personnumre."
PHONE_HINT = "Fjern telefonnummeret; historier må ikke indeholde kontaktoplysninger."
TOO_DEEP = "for mange lister eller felter inde i hinanden"
DEEP_HINT = "Skriv hvert felt som 'navn: værdi' på sin egen linje og lister som [kerneopgaven, hverdagsinnovation]."
UTF8_HINT = "Gem filen igen med tegnsættet UTF-8, så æ, ø og å kommer med."


def cpr(path: str, line: int, masked: str) -> Problem:
    return Problem(path, line, "FM016", f"Linjen ser ud til at indeholde et CPR-nummer ({masked}).", CPR_HINT)


def phone(path: str, masked: str) -> Problem:
    return Problem(path, 22, "FM018", f"Linjen ser ud til at indeholde et telefonnummer ({masked}).", PHONE_HINT)


PERSONAL_DATA = {
    "privacy_cpr_dash": cpr("cases/cpr-med-bindestreg.md", 22, "01••••-••••"),
    "privacy_cpr_no_dash": cpr("cases/cpr-uden-bindestreg.md", 22, "01••••••••"),
    "privacy_cpr_in_front_matter": cpr("cases/cpr-i-front-matter.md", 8, "01••••••••"),
    "privacy_email": Problem(
        "cases/e-mail.md",
        22,
        "FM017",
        "Linjen indeholder en e-mailadresse (p••.••••••@rebild.dk).",
        "Fjern e-mailadressen; skriv i stedet rollen, fx 'Pædagog, Rebild Kommune'.",
    ),
    "privacy_phone_plain": phone("cases/telefon-samlet.md", "12••••••"),
    "privacy_phone_pairs": phone("cases/telefon-par.md", "12 •• •• ••"),
    "privacy_phone_plus45_spaced": phone("cases/telefon-landekode-mellemrum.md", "+4• •• •• •• ••"),
    "privacy_phone_plus45": phone("cases/telefon-landekode.md", "+4•••••••••"),
    "privacy_phone_halves": phone("cases/telefon-halvdele.md", "12•• ••••"),
}

HOSTILE = {
    "hostile_binary": Problem(
        "cases/billede.md",
        1,
        "FM001",
        "Filen er ikke en tekstfil (den indeholder binære data).",
        "Gem historien som almindelig tekst (Markdown, .md) med UTF-8.",
    ),
    "hostile_empty": Problem(
        "cases/tom.md", 1, "FM002", "Filen er tom.", "Start filen med front-matter mellem to linjer med '---'."
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
        "Front-matter skal være felter med 'navn: værdi'.",
        "Skriv hvert felt på sin egen linje, fx 'title: Min historie' – ikke en liste.",
    ),
    "hostile_no_space_after_colon": Problem(
        "cases/mangler-mellemrum.md",
        2,
        "FM006",
        "Front-matter skal være felter med 'navn: værdi'.",
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
        "Front-matter kan ikke læses som YAML (tabulatortegn i indrykningen).",
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
        "cases/dyb-yaml.md", 14, "FM005", f"Front-matter kan ikke læses som YAML ({TOO_DEEP}).", DEEP_HINT
    ),
    "hostile_deep_date": Problem(
        "cases/dyb-dato.md", 4, "FM005", f"Front-matter kan ikke læses som YAML ({TOO_DEEP}).", DEEP_HINT
    ),
    "hostile_utf16": Problem(
        "cases/utf16.md", 1, "FM001", "Filen er gemt som UTF-16 (‘Unicode’), ikke som UTF-8.", UTF8_HINT
    ),
    "hostile_latin1": Problem("cases/latin1.md", 10, "FM001", "Filen er ikke gemt som UTF-8.", UTF8_HINT),
    "hostile_colon_in_title": Problem(
        "cases/kolon-i-titel.md",
        2,
        "FM005",
        "Front-matter kan ikke læses som YAML (et kolon midt i en værdi).",
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
        "Front-matter kan ikke læses som YAML (et anførselstegn bliver ikke lukket).",
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


@pytest.mark.parametrize("fixture", sorted(PERSONAL_DATA))
def test_each_personal_data_pattern_is_caught_with_a_masked_message(tmp_path: Path, fixture: str) -> None:
    result = run_check(make_site(tmp_path, fixture, keep_cases=True))
    assert_reports_exactly(result, PERSONAL_DATA[fixture])
    # The number itself never reaches the (public) log.
    for secret in ("010203-1234", "0102031234", "12345678", "12 34 56 78", "1234 5678", "pia.hansen"):
        assert secret not in result.stdout + result.stderr


@pytest.mark.parametrize("fixture", ["privacy_ordinary_numbers", "privacy_invalid_date_numbers"])
def test_ordinary_numbers_do_not_trip_the_guard(tmp_path: Path, fixture: str) -> None:
    result = run_check(make_site(tmp_path, fixture, keep_cases=True))
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


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
