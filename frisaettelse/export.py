"""Every story's fields as data for those who count: a CSV for spreadsheets and a JSON file, same columns.

The columns are the schema's story fields (so a new field cannot be forgotten: a test compares them) plus the
story's address. Contributor text is hostile in a spreadsheet too: a cell that starts like a formula is
written with a leading apostrophe, so Excel and LibreOffice show it as text instead of running it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from .feed import story_url
from .model import SiteIndex, Story
from .schema import STORY_FIELDS, STORY_KEYS

ADDRESS_COLUMN = "adresse"
# Columns a reader of the data can rely on: the address first, then the story fields in the schema's order.
COLUMNS: tuple[str, ...] = (ADDRESS_COLUMN, *(f.key for f in STORY_FIELDS if f.key != "tidligere_adresser"))
# Columns that hold a choice made by whoever `koblet_af` names (for a story from a document: the editors). A file
# travels without the site's notes, so the heading itself says so.
LINKED_COLUMNS: dict[str, str] = {
    "principper": "knyttet af: se koblet_af",
    "hegnspaele": "knyttet af: se koblet_af",
    "fri_fra_type": "valgt af: se koblet_af",
    "fri_til": "valgt af: se koblet_af",
    "tags": "valgt af: se koblet_af",
    "koblet_af": "hvem der har knyttet og valgt principper, hegnspæle, slags regel, fri til og emneord",
}
LIST_SEPARATOR = "; "
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Value = str | list[str]


def describe_columns() -> list[tuple[str, str]]:
    """(column, Danish explanation) for the page that documents the data."""
    rows = [(ADDRESS_COLUMN, "Historiens fulde adresse på sitet.")]
    for key in COLUMNS[1:]:
        spec = STORY_KEYS[key]
        note = f" Flere værdier adskilles med '{LIST_SEPARATOR.strip()}'." if spec.is_list else ""
        chosen = f" Overskriften i filerne siger: {heading(key)}." if key in LINKED_COLUMNS else ""
        rows.append((key, f"{spec.label}: {spec.help}{note}{chosen}"))
    return rows


def heading(column: str) -> str:
    """A column's heading in the files: its key, and for a linked or chosen column who made the choice."""
    return f"{column} ({LINKED_COLUMNS[column]})" if column in LINKED_COLUMNS else column


def record(story: Story, site_url: str) -> dict[str, Value]:
    """One story as a row: every column, in order; lists as lists, dates as ISO text."""
    row: dict[str, Value] = {ADDRESS_COLUMN: story_url(story, site_url)}
    for key in COLUMNS[1:]:
        value = getattr(story, STORY_KEYS[key].attribute)
        if isinstance(value, dt.date):
            row[key] = value.isoformat()
        elif isinstance(value, tuple):
            row[key] = [str(v) for v in value]
        else:
            row[key] = "" if value is None else str(value)
    return row


def _cell(value: Value) -> str:
    text = LIST_SEPARATOR.join(value) if isinstance(value, list) else value
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(index: SiteIndex, site_url: str, headings: list[str], delimiter: str = ",") -> bytes:
    """UTF-8 with a byte-order mark (Excel then reads æ, ø and å right), one row a story, newest first."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headings)
    for story in index.newest():
        row = record(story, site_url)
        writer.writerow([_cell(row[key]) for key in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def stories_csv(index: SiteIndex, site_url: str) -> bytes:
    """Comma-separated, the columns' keys as headings."""
    return _csv(index, site_url, [heading(column) for column in COLUMNS])


def stories_json(index: SiteIndex, site_url: str) -> bytes:
    data = {
        "kolonner": list(COLUMNS),
        "forklaring": {column: heading(column) for column in COLUMNS if column in LINKED_COLUMNS},
        "historier": [record(s, site_url) for s in index.newest()],
    }
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def stories_excel_csv(index: SiteIndex, site_url: str) -> bytes:
    """The same rows for Danish Excel, which opens a file by double-click in columns only when they are separated by
    semicolons: semicolon-separated, UTF-8 with a byte-order mark, Danish headings (the schema's labels). The
    machine-readable historier.csv stays as it is."""
    labels = [
        STORY_KEYS[key].label + (f" ({LINKED_COLUMNS[key]})" if key in LINKED_COLUMNS else "") for key in COLUMNS[1:]
    ]
    return _csv(index, site_url, ["Adresse", *labels], ";")
