"""Loading: front-matter split with line numbers, defensive reading, slugs."""

from __future__ import annotations

from pathlib import Path

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
    assert [(p.code, p.message) for p in latin1] == [("FM001", "Filen er ikke gemt som UTF-8.")]


def test_front_matter_that_is_a_list_is_a_problem(tmp_path: Path) -> None:
    _, problems = parse_document(write(tmp_path, "---\n- a\n- b\n---\n"), "x.md")
    assert [(p.code, p.line) for p in problems] == [("FM006", 2)]


def test_unterminated_front_matter(tmp_path: Path) -> None:
    _, problems = parse_document(write(tmp_path, "---\ntitle: A\n"), "x.md")
    assert [(p.code, p.message) for p in problems] == [("FM002", "Front-matter bliver ikke afsluttet.")]


def test_slugify_transliterates_and_is_stable() -> None:
    assert slugify("Ændret åbningstid") == "aendret-aabningstid"
    assert slugify("Sprog-vurderinger af ALLE børn!") == "sprog-vurderinger-af-alle-boern"
    assert slugify("  --é--  ") == "e"


def test_anchors_and_aliases_are_refused_from_the_tokens(tmp_path: Path) -> None:
    _, problems = parse_document(write(tmp_path, "---\ntitle: A\ntags: &t [a]\nmore: *t\n---\n"), "x.md")
    assert [(p.code, p.line) for p in problems] == [("FM005", 3)]
    assert "&- eller *-tegn" in problems[0].message


def test_nesting_beyond_the_limit_is_refused_at_its_line(tmp_path: Path) -> None:
    _, ok = parse_document(write(tmp_path, "---\ntitle: A\ntags: [[a]]\n---\n"), "x.md")
    assert ok == []
    _, problems = parse_document(write(tmp_path, "---\ntitle: A\ntags:\n  - [[a]]\n---\n", "y.md"), "y.md")
    assert [(p.code, p.line) for p in problems] == [("FM005", 4)]


def test_values_yaml_cannot_build_stay_text(tmp_path: Path) -> None:
    doc, problems = parse_document(write(tmp_path, "---\ndato: 2023-02-30\nnummer: " + "9" * 5000 + "\n---\n"), "x.md")
    assert problems == [] and doc is not None
    assert doc.meta == {"dato": "2023-02-30", "nummer": "9" * 5000}


def test_a_symlinked_file_or_folder_is_reported_and_not_read(tmp_path: Path) -> None:
    from frisaettelse.load import load_folder

    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "ude.md").symlink_to("/etc/hostname")
    (folder / "rod").symlink_to("/")
    result = load_folder(folder, tmp_path)
    assert result.documents == []
    assert [(p.path, p.code) for p in result.problems] == [("cases/rod", "FM001"), ("cases/ude.md", "FM001")]
