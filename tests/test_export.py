"""The stories as data (CSV and JSON): the documented columns, every story, and no formula from a contributor."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from pathlib import Path

from helpers import real_index

from frisaettelse import addresses, export
from frisaettelse.schema import STORY_KEYS


def documented_columns(site: Path) -> list[str]:
    page = (site / "om" / "data" / "index.html").read_text(encoding="utf-8")
    return re.findall(r"<dt><code>([a-z_]+)</code></dt>", page)


def test_csv_and_json_hold_every_story_with_the_documented_columns(built_site: Path) -> None:
    index = real_index()
    columns = documented_columns(built_site)
    assert columns == list(export.COLUMNS) and "title" in columns and "principper" in columns
    raw = (built_site / "data" / "historier.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())  # Excel reads UTF-8 only with the mark
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    data = json.loads((built_site / "data" / "historier.json").read_text(encoding="utf-8"))
    assert data["kolonner"] == columns
    assert [list(r) for r in rows] == [[export.heading(c) for c in columns]] * len(index.stories)
    assert [list(r) for r in data["historier"]] == [columns] * len(index.stories)
    expected = {s.title for s in index.stories.values()}
    assert {r["title"] for r in rows} == expected == {r["title"] for r in data["historier"]}
    for row, item in zip(rows, data["historier"], strict=True):
        story = index.stories[item["adresse"].rstrip("/").rsplit("/", 1)[1]]
        assert item["principper"] == list(story.principles)
        assert row[export.heading("principper")] == "; ".join(story.principles)
        assert row["dato"] == item["dato"] == story.date.isoformat()
        assert (built_site / item["adresse"].split("/frisaettelse/", 1)[1] / "index.html").is_file()
    # Beside it, the same rows for Danish Excel: semicolons (its separator), the mark, Danish headings.
    excel = (built_site / "data" / "historier-excel.csv").read_bytes()
    assert excel.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(excel.decode("utf-8-sig")), delimiter=";"))
    assert table[0][0] == "Adresse" and "Titel" in table[0] and not set(table[0]) & set(columns[1:])
    assert [r[1:] for r in table[1:]] == [[row[export.heading(c)] for c in columns[1:]] for row in rows]
    # A linked or chosen column's Danish heading says whose choice it is, as the machine-readable one does.
    assert all(
        export.LINKED_COLUMNS[c] in h for c, h in zip(columns, table[0], strict=True) if c in export.LINKED_COLUMNS
    )


def test_every_story_field_is_a_column_except_former_addresses() -> None:
    assert set(export.COLUMNS) == {"adresse"} | set(STORY_KEYS) - {"tidligere_adresser"}


def test_a_cell_that_looks_like_a_formula_is_written_as_text() -> None:
    story = real_index().newest()[0]
    for attack in ('=HYPERLINK("https://eksempel.invalid","Klik")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"):
        index = replace(real_index(), stories={story.slug: replace(story, title=attack, tags=(attack,))})
        files = export.data_files(index, "https://x/")
        row = next(csv.DictReader(io.StringIO(files[addresses.DATA_CSV].decode("utf-8-sig"))))
        assert row["title"] == "'" + attack and row[export.heading("tags")] == "'" + attack
        excel = list(csv.reader(io.StringIO(files[addresses.DATA_EXCEL].decode("utf-8-sig")), delimiter=";"))
        assert "'" + attack in excel[1]
        item = json.loads(files[addresses.DATA_JSON])["historier"][0]
        assert item["title"] == attack  # JSON is not a spreadsheet: the text stays as written
