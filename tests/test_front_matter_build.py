"""One reader of front-matter: a file whose front-matter two readers would split differently is refused by `tjek` and
the build with the same lines. The accepted cases are built in test_hostile_output's site and read back there."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import make_site, mkdocs_build, run_cli

FIELDS = (
    "description: Et ærligt resumé.\ndato: 2024-03-01\nomraade: dagtilbud\nprincipper: [kerneopgaven]\n"
    "hegnspaele: [retssikkerhed]\nfri_fra: En regel\nfri_fra_type: lokal vane\nfri_til: Tid\n"
    "citat_rolle: Pædagog, Rebild Kommune\nkilde: indsendt\nsamtykke: anonymiseret\n"
)
CHOOSE_TEMPLATE = "template: redirect.html\nlocation: https://smuglet.example/\n"
SMUGGLED = (
    "template: redirect.html\nlocation: https://smuglet.example/\ntitle: Falsk titel\ndescription: Falsk resumé\n"
)
# Accepted: they must be published, and read exactly as their fields say.
ACCEPTED = {
    # Markers with trailing spaces and tabs (MkDocs accepts them too); a body that starts like metadata.
    "streger-med-mellemrum": f"---  \ntitle: Streger med mellemrum\n{FIELDS}---\t\n{SMUGGLED}\nHistorien selv.\n",
    # HTML left open at the end of the story: the page's own sections must stay outside it.
    "aaben-details": (
        f"---\ntitle: Åben details\n{FIELDS}---\n\nHistorien selv.\n\n<details>\n<summary>Mere</summary>\n\n"
        "<div><table><tr><td>Skjult tekst\n"
    ),
}
# Refused: front-matter that two readers would end at different lines, with the line to blame.
REFUSED = {
    "indrykket": (f"---\ntitle: Indrykket\n{FIELDS} ---\n{SMUGGLED}---\n\nTekst.\n", 14),
    "tabulator": (f"---\ntitle: Tabulator\n{FIELDS}\t---\n{SMUGGLED}---\n\nTekst.\n", 14),
    "prikker": (f"---\ntitle: Prikker\n{FIELDS} ...\n{SMUGGLED}---\n\nTekst.\n", 14),
    "kommentar": (f"---\ntitle: Kommentar\n{FIELDS}--- # slut\n{SMUGGLED}---\n\nTekst.\n", 14),
    "crlf": ((f"---\ntitle: Crlf\n{FIELDS} ---\n{SMUGGLED}---\n\nTekst.\n").replace("\n", "\r\n"), 14),
    "bom-og-indrykket-start": (f"\ufeff ---\ntitle: Bom\n{FIELDS}---\n\nTekst.\n", 1),
}
# Refused by the closed schema: a valid-looking story that names its template (FM008, an unknown field).
UNKNOWN_FIELD = {"skabelon": (f"---\ntitle: Skabelon\n{FIELDS}{CHOOSE_TEMPLATE}---\n\nTekst.\n", (14, 15))}


def problem_lines(output: str) -> set[str]:
    """`cases/x.md:4: FM002 …` lines, without the guide link (its host may differ) or the log level."""
    return {m.group(0).split(" (Vejledning:")[0] for m in re.finditer(r"cases/\S+:\d+: FM\d{3} .*", output)}


def test_front_matter_two_readers_would_split_is_refused_by_check_and_build_alike(tmp_path: Path) -> None:
    site = make_site(tmp_path, keep_cases=True)
    # The refused files: `tjek` and the build give the same lines, each naming the file and the line.
    for slug, text in [*((s, t) for s, (t, _) in REFUSED.items()), *((s, t) for s, (t, _) in UNKNOWN_FIELD.items())]:
        (site / "cases" / f"{slug}.md").write_bytes(text.encode("utf-8"))
    (code, out, _), refused = run_cli("tjek", "--projekt", str(site)), mkdocs_build(site, tmp_path / "out")
    assert code != 0 and refused.returncode != 0
    assert "Traceback" not in refused.stderr
    lines = problem_lines(out)
    expected = {f"cases/{slug}.md:{line}: FM002" for slug, (_, line) in REFUSED.items()}
    expected |= {f"cases/{slug}.md:{n}: FM008" for slug, (_, lines) in UNKNOWN_FIELD.items() for n in lines}
    assert {" ".join(line.split(" ")[:2]) for line in lines} == expected
    assert problem_lines(out) == problem_lines(refused.stderr)
