"""One tiny fixture site per validation rule; each asserts the exact Danish message and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT, make_site

from frisaettelse.index import build_index
from frisaettelse.problems import Problem
from frisaettelse.validate import ALL_CODES

REAL_STORIES = {path.stem for path in (ROOT / "cases").glob("*.md")}


def problems_for(tmp_path: Path, fixture: str) -> list[Problem]:
    # The real stories stay: docs pages link them by macro, and a site without them would not build (FM020).
    return build_index(make_site(tmp_path, fixture, keep_cases=True)).problems


CASES = {
    "yaml_broken": Problem(
        "cases/brudt-yaml.md",
        5,
        "FM005",
        "Felterne øverst i filen kan ikke læses (en liste med [ bliver ikke lukket med ]).",
        "Skriv listen på én linje og luk den, fx principper: [kerneopgaven, hverdagsinnovation].",
    ),
    "no_front_matter": Problem(
        "cases/ingen-front-matter.md",
        1,
        "FM002",
        "Filen mangler felterne øverst (mellem to linjer med '---').",
        "Første linje skal være '---', derefter felterne og så en linje med '---'.",
    ),
    "missing_key": Problem(
        "cases/mangler-felt.md",
        14,
        "FM007",
        "Det påkrævede felt 'fri_til' (Fri til) mangler.",
        "Tilføj fx: fri_til: Ro og tid til at tage imod ‘tidlige børn’.",
    ),
    "unknown_key": Problem(
        "cases/ukendt-felt.md",
        11,
        "FM008",
        "Ukendt felt 'forfatter'.",
        "Gyldige felter: 'title', 'description', 'dato', 'omraade', 'principper', 'hegnspaele', 'fri_fra', "
        "'fri_fra_type', 'fri_til', 'koblet_af', 'citat_rolle', 'kilde', 'samtykke', 'tags', 'tidligere_adresser'. "
        "Felter, der ikke er i skabelonen, kan ikke bruges.",
    ),
    "unknown_principle": Problem(
        "cases/ukendt-princip.md", 8, "FM003", "Ukendt princip 'kerneopgave'.", "Mente du 'kerneopgaven'?"
    ),
    "unknown_boundary": Problem(
        "cases/ukendt-hegnspael.md", 7, "FM004", "Ukendt hegnspæl 'retsikkerhed'.", "Mente du 'retssikkerhed'?"
    ),
    "unknown_area": Problem(
        "cases/ukendt-omraade.md", 5, "FM010", "Ugyldig værdi 'skoler' i feltet 'omraade'.", "Mente du 'skole'?"
    ),
    "empty_principles": Problem(
        "cases/tom-principliste.md",
        6,
        "FM011",
        "Listen 'principper' er tom.",
        "Angiv mindst én princip: borgernes-ressourcer, formaal-og-retning, frisaettende-ledelse, "
        "hverdagsinnovation, kerneopgaven.",
    ),
    "invalid_date": Problem(
        "cases/ugyldig-dato.md",
        4,
        "FM012",
        "Datoen '1. marts 2024' skal skrives med tal som år-måned-dag.",
        "Skriv: dato: 2024-03-01",  # the date it could read, in the form it must have
    ),
    "duplicate_slug": Problem(
        "cases/ændret-tid.md",
        1,
        "FM013",
        "Filen får samme adresse som cases/aendret-tid.md ('aendret-tid').",
        "Omdøb en af filerne, så navnene er forskellige.",
    ),
    "jinja": Problem(
        "cases/skabelonkode.md",
        21,
        "FM014",
        "Historien indeholder skabelonkode ({{, {% eller {#).",
        "Historier vises som ren tekst; fjern krøllede parenteser i par.",
    ),
}


@pytest.mark.parametrize("fixture", sorted(CASES))
def test_each_rule_reports_exact_message_and_line(tmp_path: Path, fixture: str) -> None:
    problems = problems_for(tmp_path, fixture)
    assert problems == [CASES[fixture]]


def test_valid_story_has_no_problems_and_is_indexed(tmp_path: Path) -> None:
    index = build_index(make_site(tmp_path, "valid", keep_cases=True))
    assert index.problems == []
    assert set(index.stories) == REAL_STORIES | {"fri-fra-skemaet"}


def test_every_problem_is_collected_not_just_the_first(tmp_path: Path) -> None:
    site = make_site(tmp_path, "unknown_principle", keep_cases=True)
    for fixture in ("unknown_area", "jinja", "missing_key"):
        for path in (FIXTURES / fixture / "cases").iterdir():
            shutil.copy(path, site / "cases" / path.name)
    codes = sorted(p.code for p in build_index(site).problems)
    assert codes == ["FM003", "FM007", "FM010", "FM014"]


def test_valid_stories_beside_invalid_ones_are_still_indexed(tmp_path: Path) -> None:
    """Nothing valid is dropped because a neighbour is broken."""
    site = make_site(tmp_path, "valid", keep_cases=True)
    shutil.copy(FIXTURES / "yaml_broken" / "cases" / "brudt-yaml.md", site / "cases")
    index = build_index(site)
    assert set(index.stories) == REAL_STORIES | {"fri-fra-skemaet"}
    assert [p.code for p in index.problems] == ["FM005"]


def test_every_code_has_a_title_for_the_guide() -> None:
    expected = {f"FM{n:03d}" for n in range(1, 24)} | {"FM030", "FM031", "FM040", "FM041", "FM042", "FM060", "FM070"}
    expected |= {"FM065", "FM066", "FM067"}
    assert set(ALL_CODES) == expected
    assert all(ALL_CODES.values())
