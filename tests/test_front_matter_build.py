"""One reader of front-matter, in a real build: a story page's meta is only its validated fields, no content picks a
template, and a file whose front-matter two readers would split differently is refused by `tjek` and the build
with the same lines. Hostile stories are built for real and every output they reach is read back."""

from __future__ import annotations

import json
import re
from pathlib import Path

from helpers import article, make_site, mkdocs_build, parse_html, run_check

FIELDS = (
    "description: Et ærligt resumé.\ndato: 2024-03-01\nomraade: dagtilbud\nprincipper: [kerneopgaven]\n"
    "hegnspaele: [retssikkerhed]\nfri_fra: En regel\nfri_fra_type: lokal vane\nfri_til: Tid\n"
    "citat_rolle: Pædagog, Rebild Kommune\nkilde: indsendt\nsamtykke: anonymiseret\n"
)
CHOOSE_TEMPLATE = "template: redirect.html\nlocation: https://evil.example/\n"
SMUGGLED = "template: redirect.html\nlocation: https://evil.example/\ntitle: Falsk titel\ndescription: Falsk resumé\n"
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


def test_front_matter_has_one_reader_in_the_real_build(tmp_path: Path) -> None:
    site = make_site(tmp_path, keep_cases=True)
    for slug, text in ACCEPTED.items():
        (site / "cases" / f"{slug}.md").write_text(text, encoding="utf-8")
    page = site / "docs" / "om" / "kommunikation.md"  # an editors' page that tries to choose a template
    page.write_text(page.read_text(encoding="utf-8").replace("---\n", f"---\n{CHOOSE_TEMPLATE}", 1), encoding="utf-8")
    out = tmp_path / "out"
    build = mkdocs_build(site, out)
    assert build.returncode == 0, build.stderr[-3000:]

    for path in out.rglob("*.html"):  # the smuggled values are text in a story's body, never a page's metadata
        parsed = parse_html(path.read_text(encoding="utf-8"))
        assert not [a for _, attributes in parsed.tags for a in attributes.values() if "evil.example" in a], path
        assert not [v for k, v in parsed.meta.items() if "Falsk" in v], path
    for slug, title in (("streger-med-mellemrum", "Streger med mellemrum"), ("aaben-details", "Åben details")):
        html = (out / "historier" / slug / "index.html").read_text(encoding="utf-8")
        parsed = parse_html(html)
        assert re.search(r"<title>([^<]*)</title>", html).group(1) == f"{title} - Frisættelse i Rebild"  # type: ignore[union-attr]
        assert parsed.meta["og:title"] == parsed.meta["twitter:title"] == title
        assert parsed.meta["description"] == parsed.meta["og:description"] == "Et ærligt resumé."
        assert not any(tag == "meta" and "http-equiv" in a and a["http-equiv"] == "refresh" for tag, a in parsed.tags)
        assert 'id="principper-for-historien"' in article(html)
    smuggling = article((out / "historier" / "streger-med-mellemrum" / "index.html").read_text(encoding="utf-8"))
    assert "template: redirect.html" in smuggling  # the body's first lines are text, not metadata
    docs_page = (out / "om" / "kommunikation" / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh"' not in docs_page and article(docs_page)

    opened = article((out / "historier" / "aaben-details" / "index.html").read_text(encoding="utf-8"))
    before = opened[: opened.index('id="principper-for-historien"')]
    assert "Skjult tekst" in before
    for tag in ("details", "div", "table", "td"):  # everything the story opened is closed before the page's sections
        assert len(re.findall(rf"<{tag}\b", before)) == len(re.findall(rf"</{tag}>", before)), tag

    search = json.loads((out / "search" / "search_index.json").read_text(encoding="utf-8"))
    titles = {doc["location"].split("#")[0]: doc["title"] for doc in search["docs"] if "#" not in doc["location"]}
    assert titles.get("historier/streger-med-mellemrum/") == "Streger med mellemrum"
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert "<title>Streger med mellemrum</title>" in feed and "<title>Åben details</title>" in feed
    assert "<title>Falsk" not in feed and not [t for t in titles.values() if "Falsk" in t]

    # The refused files: `tjek` and the build give the same lines, each naming the file and the line.
    for slug, text in [*((s, t) for s, (t, _) in REFUSED.items()), *((s, t) for s, (t, _) in UNKNOWN_FIELD.items())]:
        (site / "cases" / f"{slug}.md").write_bytes(text.encode("utf-8"))
    check, refused = run_check(site), mkdocs_build(site, tmp_path / "out2")
    assert check.returncode != 0 and refused.returncode != 0
    assert "Traceback" not in check.stderr + refused.stderr
    lines = problem_lines(check.stdout)
    expected = {f"cases/{slug}.md:{line}: FM002" for slug, (_, line) in REFUSED.items()}
    expected |= {f"cases/{slug}.md:{n}: FM008" for slug, (_, lines) in UNKNOWN_FIELD.items() for n in lines}
    assert {" ".join(line.split(" ")[:2]) for line in lines} == expected
    assert problem_lines(check.stdout) == problem_lines(refused.stderr)
