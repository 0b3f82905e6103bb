"""Loading: front-matter split with line numbers, defensive reading, slugs."""

from __future__ import annotations

from pathlib import Path

import pytest

from frisaettelse.load import parse_document, slugify


def write(tmp_path: Path, text: str | bytes, name: str = "x.md") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_keys_and_list_items_keep_their_lines(tmp_path: Path) -> None:
    doc, problems = parse_document(write(tmp_path, "---\ntitle: A\nprincipper:\n  - a\n  - b\n---\nBody\n"), "x.md")
    assert problems == [] and doc is not None
    assert doc.key_lines == {"title": 2, "principper": 3}
    assert doc.item_lines["principper"] == [4, 5]
    assert doc.body == "Body\n" and doc.body_line == 7


def test_bom_and_crlf_are_normalised(tmp_path: Path) -> None:
    doc, problems = parse_document(write(tmp_path, "\ufeff---\r\ntitle: Å\r\n---\r\nTekst\r\n".encode()), "x.md")
    assert problems == [] and doc is not None
    assert doc.meta == {"title": "Å"} and doc.body == "Tekst\n"


def test_binary_and_non_utf8_files_are_problems_not_crashes(tmp_path: Path) -> None:
    _, binary = parse_document(write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00"), "x.md")
    assert [p.code for p in binary] == ["FM001"]
    _, latin1 = parse_document(write(tmp_path, "---\ntitle: æ\n---\n".encode("latin-1"), "y.md"), "y.md")
    assert [(p.code, p.line) for p in latin1] == [("FM001", 2)] and "UTF-8" in latin1[0].message  # the æ's line


def test_front_matter_that_is_a_list_is_a_problem(tmp_path: Path) -> None:
    _, problems = parse_document(write(tmp_path, "---\n- a\n- b\n---\n"), "x.md")
    assert [(p.code, p.line) for p in problems] == [("FM006", 2)]


def test_unterminated_front_matter(tmp_path: Path) -> None:
    _, problems = parse_document(write(tmp_path, "---\ntitle: A\n"), "x.md")
    assert [(p.code, p.line) for p in problems] == [("FM002", 1)] and "---" in problems[0].hint


def test_slugify_transliterates_and_is_stable() -> None:
    assert slugify("Ændret åbningstid") == "aendret-aabningstid"
    assert slugify("Sprog-vurderinger af ALLE børn!") == "sprog-vurderinger-af-alle-boern"
    assert slugify("  --é--  ") == "e"


def test_anchors_and_aliases_are_refused_from_the_tokens(tmp_path: Path) -> None:
    _, problems = parse_document(write(tmp_path, "---\ntitle: A\ntags: &t [a]\nmore: *t\n---\n"), "x.md")
    assert [(p.code, p.line) for p in problems] == [("FM005", 3)]


def test_nesting_beyond_the_limit_is_refused_at_its_line(tmp_path: Path) -> None:
    _, ok = parse_document(write(tmp_path, "---\ntitle: A\ntags: [[a]]\n---\n"), "x.md")
    assert ok == []
    _, problems = parse_document(write(tmp_path, "---\ntitle: A\ntags:\n  - [[a]]\n---\n", "y.md"), "y.md")
    assert [(p.code, p.line) for p in problems] == [("FM005", 4)]


@pytest.mark.parametrize("number", ["9" * 5000, "0x" + "f" * 5000, "0o" + "7" * 6000, "0b" + "1" * 15000])
def test_values_yaml_cannot_build_stay_text(tmp_path: Path, number: str) -> None:
    doc, problems = parse_document(write(tmp_path, f"---\ndato: 2023-02-30\nnummer: {number}\n---\n"), "x.md")
    assert problems == [] and doc is not None
    assert doc.meta == {"dato": "2023-02-30", "nummer": number}


@pytest.mark.parametrize("value", ["!!bool x", "!!timestamp 2020-1-1T1:1:1.1234567891234+05:30", "!!binary x"])
def test_a_value_no_constructor_can_build_is_a_problem_not_a_crash(tmp_path: Path, value: str) -> None:
    _, problems = parse_document(write(tmp_path, f"---\ntitle: A\nx: {value}\n---\n"), "x.md")
    assert [p.code for p in problems] == ["FM005"]


def test_a_symlinked_file_or_folder_is_reported_and_not_read(tmp_path: Path) -> None:
    from frisaettelse.load import load_folder

    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "ude.md").symlink_to("/etc/hostname")
    (folder / "rod").symlink_to("/")
    documents, problems = load_folder(folder, tmp_path)
    assert documents == []
    assert [(p.path, p.code) for p in problems] == [("cases/rod", "FM001"), ("cases/ude.md", "FM001")]


# --- Front-matter is split where MkDocs would split it, or refused --------------------------------------------------

STORY_FIELDS = "title: A\ndescription: B\n"
SPLIT_CASES: dict[str, tuple[str, int | None]] = {
    # name: (file text, line of the FM002 problem; None = accepted)
    "plain": ("---\n{f}---\nTekst\n", None),
    "trailing spaces and tabs after the markers": ("--- \t\n{f}---  \nTekst\n", None),
    "CRLF": ("---\r\n{f}---\r\nTekst\r\n", None),
    "BOM": ("\ufeff---\n{f}---\nTekst\n", None),
    "indented closing line, keys after it": (
        "---\n{f} ---\ntemplate: redirect.html\nlocation: https://evil.example/\n---\nTekst\n",
        4,
    ),
    "tab-indented closing line": ("---\n{f}\t---\ntitle: Falsk\n---\nTekst\n", 4),
    "indented dots": ("---\n{f} ...\ndescription: Falsk\n---\nTekst\n", 4),
    "dots at column 0": ("---\n{f}...\nTekst\n", 4),
    "comment after the closing line": ("---\n{f}--- #slut\ntitle: Falsk\n---\nTekst\n", 4),
    "no-break space after the closing line": ("---\n{f}---\u00a0\ntitle: Falsk\n---\nTekst\n", 4),
    "form feed after the closing line": ("---\n{f}---\x0c\ntitle: Falsk\n---\nTekst\n", 4),
    "indented opening line": (" ---\n{f}---\nTekst\n", 1),
    "comment after the opening line": ("--- #start\n{f}---\nTekst\n", 1),
    "CRLF with an indented closing line": ("---\r\n{f} ---\r\ntitle: Falsk\r\n---\r\n", 4),
}


@pytest.mark.parametrize("name", SPLIT_CASES)
def test_front_matter_splits_where_mkdocs_does_or_is_refused(tmp_path: Path, name: str) -> None:
    template, line = SPLIT_CASES[name]
    text = template.format(f=STORY_FIELDS)
    doc, problems = parse_document(write(tmp_path, text.encode("utf-8")), "cases/x.md")
    if line is None:
        assert problems == [] and doc is not None
        assert doc.meta == {"title": "A", "description": "B"} and doc.body.strip() == "Tekst"
        normalised = text.lstrip("\ufeff").replace("\r\n", "\n")
        mkdocs_body, mkdocs_meta = mkdocs_meta_get_data(normalised)
        assert (mkdocs_meta, mkdocs_body.strip()) == (doc.meta, doc.body.strip())  # the same split as MkDocs'
    else:
        assert doc is None
        assert [(p.path, p.line, p.code) for p in problems] == [("cases/x.md", line, "FM002")]
        assert "'---'" in problems[0].hint


def mkdocs_meta_get_data(text: str) -> tuple[str, dict[str, object]]:
    from mkdocs.utils.meta import get_data

    return get_data(text)


@pytest.mark.parametrize(
    "text",
    [
        "---\ndescription: |\n  ... og mere\n---\nTekst\n",  # dots inside a text, not a marker
        "---\ndescription: a\n  ... og mere\n---\nTekst\n",
        "---\ntitle: A\n---\nTekst\n---\nMere tekst efter en streg\n...\n",  # markers in the body are the body's
    ],
)
def test_marker_like_text_inside_values_or_the_body_is_accepted(tmp_path: Path, text: str) -> None:
    doc, problems = parse_document(write(tmp_path, text), "x.md")
    assert problems == [] and doc is not None


def test_docs_pages_may_have_no_front_matter(tmp_path: Path) -> None:
    path = write(tmp_path, "title: ikke front-matter\n\n# Side\n")
    doc, problems = parse_document(path, "docs/x.md", front_matter_required=False)
    assert problems == [] and doc is not None and doc.meta == {} and doc.body.startswith("title:")
    _, required = parse_document(path, "cases/x.md")
    assert [p.code for p in required] == ["FM002"]


@pytest.mark.parametrize("target", ["/", "/etc", "elsewhere"])
def test_a_cases_folder_that_is_a_link_is_refused_not_listed(tmp_path: Path, target: str) -> None:
    from frisaettelse.pipeline import build_index

    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "x.md").write_text("---\ntitle: A\n---\nTekst\n", encoding="utf-8")
    (tmp_path / "cases").symlink_to(tmp_path / target if target == "elsewhere" else target)
    index = build_index(tmp_path)
    assert index.stories == {}
    assert [(p.path, p.line, p.code) for p in index.problems] == [("cases", 1, "FM001")]
    assert "genvej" in index.problems[0].message and "cases/" in index.problems[0].hint


@pytest.mark.parametrize("line_break", ["\x85", "\u2028", "\u2029"])
@pytest.mark.parametrize("where", ["title: A{b}template: redirect.html\n", 'title: "A{b}"\n', "tags: [a{b}b]\n"])
def test_a_line_break_only_yaml_sees_is_refused_at_its_line(tmp_path: Path, line_break: str, where: str) -> None:
    text = "---\ndescription: B\n" + where.format(b=line_break) + "---\nTekst\n"
    doc, problems = parse_document(write(tmp_path, text), "cases/x.md")
    assert doc is None
    assert [(p.line, p.code) for p in problems] == [(3, "FM040")]
    assert f"U+{ord(line_break):04X}" in problems[0].message
