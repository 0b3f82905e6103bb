"""Contributor text is hostile input: every rule reads what YAML decoded and what a reader will see, and reports the
original file and line. The rules themselves are rows in test_validate.py; here are the attacks that need more than a
row (anchors, symlinks, macro references, bodies built to be slow), all in memory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import ROOT, VALID_STORY, changed, index_with

# --- YAML anchors --------------------------------------------------------------------------------------------------


def test_a_billion_laughs_list_of_tags_is_refused_before_it_is_built(tmp_path: Path) -> None:
    """Ten levels of ten aliases would be 10^10 tags: refused from the tokens (a build would not finish)."""
    levels = ["a0: &a0 [ha, ha, ha, ha, ha, ha, ha, ha, ha, ha]"]
    levels += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 10)]
    text = changed("tags: [test]", "tags: *a9").replace("---\n", "---\n" + "\n".join(levels) + "\n", 1)
    problems = index_with(tmp_path, {"x.md": text}).problems
    assert [(p.path, p.line, p.code) for p in problems] == [("cases/x.md", 2, "FM005")]


# --- Symlinks in cases/ ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["/etc/hostname", "/", str(ROOT / "docs"), str(ROOT / "docs" / "index.md")])
def test_a_symlink_in_cases_is_refused_and_never_followed(tmp_path: Path, target: str) -> None:
    (tmp_path / "cases" / "mappe").mkdir(parents=True)
    (tmp_path / "cases" / "genvej.md").symlink_to(target)
    (tmp_path / "cases" / "mappe" / "dybere").symlink_to(target)
    problems = index_with(tmp_path, {}).problems
    assert [(p.path, p.line, p.code) for p in problems] == [
        ("cases/genvej.md", 1, "FM001"),
        ("cases/mappe/dybere", 1, "FM001"),
    ]
    assert all("cases/" in p.hint for p in problems)


# --- References from docs pages by macro -----------------------------------------------------------------------


def add_line(tmp_path: Path, page: str, text: str) -> int:
    """Add a line to a docs page (copied into tmp_path/docs on first use); its line number."""
    if not (tmp_path / "docs").exists():
        shutil.copytree(ROOT / "docs", tmp_path / "docs")
    path = tmp_path / "docs" / page
    lines = path.read_text("utf-8").split("\n")
    lines.append(text)
    path.write_text("\n".join(lines), "utf-8")
    return len(lines)


def test_a_renamed_story_linked_from_a_docs_page_is_reported_on_the_macros_line(tmp_path: Path) -> None:
    renamed = (ROOT / "cases" / "aendret-aabningstid.md").read_text("utf-8")
    index = index_with(tmp_path, {"aendret-aabningstid-i-dagtilbud.md": renamed}, without=("aendret-aabningstid",))
    page = (ROOT / "docs" / "erfaringer" / "eksempler-fra-praksis.md").read_text("utf-8").split("\n")
    lines = [n for n, text in enumerate(page, 1) if "historie('aendret-aabningstid')" in text]
    assert lines, "the docs page no longer links the story: pick another story it links"
    assert [(p.path, p.line, p.code) for p in index.problems] == [
        (str(ROOT / "docs" / "erfaringer" / "eksempler-fra-praksis.md"), line, "FM020") for line in lines
    ]
    assert "'aendret-aabningstid'" in index.problems[0].message
    assert "'aendret-aabningstid-i-dagtilbud'" in index.problems[0].hint


def test_a_renamed_story_with_its_former_address_still_resolves(tmp_path: Path) -> None:
    text = (ROOT / "cases" / "aendret-aabningstid.md").read_text("utf-8")
    text = text.replace("tags:", "tidligere_adresser: [historier/aendret-aabningstid/]\ntags:")
    index = index_with(tmp_path, {"aendret-aabningstid-i-dagtilbud.md": text}, without=("aendret-aabningstid",))
    assert index.problems == []


@pytest.mark.parametrize(
    "call,wanted,suggested",
    [
        ("{{ princip('kerneopgave') }}", "kerneopgave", "kerneopgaven"),
        ('{{princip("kerneopgave")}}', "kerneopgave", "kerneopgaven"),
        ("{{ hegnspael( 'retsikkerhed' ) }}", "retsikkerhed", "retssikkerhed"),
        ('Se {{ historie("fri-fra-laereplan") }} og mere.', "fri-fra-laereplan", "fri-fra-laereplanen"),
    ],
)
def test_an_unknown_id_in_a_macro_call_is_reported_with_file_line_and_suggestion(
    tmp_path: Path, call: str, wanted: str, suggested: str
) -> None:
    line = add_line(tmp_path, "hegnspaele/index.md", call)
    problems = index_with(tmp_path, {}, copy_docs=True).problems
    assert [(p.path, p.line, p.code) for p in problems] == [("docs/hegnspaele/index.md", line, "FM020")]
    assert f"'{wanted}'" in problems[0].message and f"'{suggested}'" in problems[0].hint


def test_macro_calls_shown_as_raw_text_are_not_references(tmp_path: Path) -> None:
    add_line(tmp_path, "hegnspaele/index.md", "{% raw %}Skriv {{ princip('dit-id') }}{% endraw %}")
    add_line(tmp_path, "hegnspaele/index.md", "Teksten princip('ikke-en-makro') er ikke i krøllede parenteser.")
    assert index_with(tmp_path, {}, copy_docs=True).problems == []


# --- The cost of card drawing -----------------------------------------------------------------------------------


def test_a_30000_character_title_measures_no_more_text_than_a_card_can_show(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shortening by bisection on at most MAX_DRAWN_CHARS: the work does not grow with the title (no clock)."""
    from PIL import ImageDraw

    from frisaettelse.cards import MAX_DRAWN_CHARS, Card, draw_card

    measured: list[int] = []
    textlength = ImageDraw.ImageDraw.textlength

    def counting(self: ImageDraw.ImageDraw, text: str, *args: object, **kwargs: object) -> float:
        measured.append(len(text))
        return textlength(self, text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ImageDraw.ImageDraw, "textlength", counting)
    draw_card(Card("Historie", "Fri fra skemaet " * 2000, "Skole", ("Fri fra: " + "x" * 30_000,)))
    assert max(measured) <= MAX_DRAWN_CHARS + 1 and len(measured) < 2000


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


# --- Bodies written to make the build slow or crash: refused before Markdown sees them --------------------------

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
def test_a_body_built_to_be_slow_is_refused_before_markdown_sees_it(tmp_path: Path, name: str) -> None:
    problems = index_with(tmp_path, {"x.md": VALID_STORY + SLOW_BODIES[name] + "\n"}).problems
    assert problems and {p.code for p in problems} == {"FM042"}


# --- The pieces: the reader's text, nesting, URL schemes -------------------------------------------------------


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
