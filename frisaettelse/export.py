"""Every story's fields as data (`/data/`): CSV, CSV for Danish Excel and JSON, the columns from the schema."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from . import addresses
from .model import SiteIndex
from .sanitize import markdown_text
from .schema import STORY_FIELDS

ADDRESS_COLUMN = "adresse"
FIELDS = [f for f in STORY_FIELDS if f.exported]
COLUMNS: tuple[str, ...] = (ADDRESS_COLUMN, *(f.key for f in FIELDS))
# A file travels without the site's notes: the heading of a column whose choice `koblet_af` made says so.
LINKED_COLUMNS: dict[str, str] = {
    **dict.fromkeys(("principper", "hegnspaele"), "knyttet af: se koblet_af"),
    **dict.fromkeys(("fri_fra_type", "fri_til", "tags"), "valgt af: se koblet_af"),
    "koblet_af": "hvem der har knyttet og valgt principper, hegnspæle, slags regel, fri til og emneord",
}
LIST_SEPARATOR = "; "


def heading(column: str, name: str = "") -> str:
    """A column's heading (its key, or `name`), saying for a linked or chosen column who made the choice."""
    return f"{name or column} ({LINKED_COLUMNS[column]})" if column in LINKED_COLUMNS else name or column


def describe_columns() -> str:
    """Each column with its Danish explanation, a Markdown definition list for the page that documents the data."""
    rows = [(ADDRESS_COLUMN, "Historiens fulde adresse på sitet.")]
    for spec in FIELDS:
        note = f" Flere værdier adskilles med '{LIST_SEPARATOR.strip()}'." if spec.is_list else ""
        chosen = f" Overskriften i filerne siger: {heading(spec.key)}." if spec.key in LINKED_COLUMNS else ""
        rows.append((spec.key, f"{spec.label}: {spec.help}{note}{chosen}"))
    return "\n".join(f"`{column}`\n:   {markdown_text(text)}\n" for column, text in rows)


def _value(value: object) -> str | list[str]:
    if isinstance(value, dt.date):
        return value.isoformat()
    return [str(v) for v in value] if isinstance(value, tuple) else "" if value is None else str(value)


def _csv(rows: list[dict[str, str | list[str]]], headings: list[str], delimiter: str = ",") -> bytes:
    """UTF-8 with a byte-order mark (Excel reads æ, ø, å right); a cell that starts like a formula gets an
    apostrophe, so a spreadsheet shows it as text instead of running it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headings)
    for row in rows:
        cells = (LIST_SEPARATOR.join(v) if isinstance(v, list) else v for v in row.values())
        writer.writerow(["'" + c if c.startswith(("=", "+", "-", "@", "\t", "\r")) else c for c in cells])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def data_files(index: SiteIndex, site_url: str) -> dict[str, bytes]:
    """The stories newest first, lists as lists and dates as ISO text; Danish Excel opens a file in columns by
    double-click only with semicolons, so its file has those and the schema's labels as headings."""
    base = site_url.rstrip("/") + "/"
    rows = [
        {ADDRESS_COLUMN: base + s.url, **{f.key: _value(getattr(s, f.attribute)) for f in FIELDS}}
        for s in index.newest()
    ]
    explained = {column: heading(column) for column in COLUMNS if column in LINKED_COLUMNS}
    data = {"kolonner": list(COLUMNS), "forklaring": explained, "historier": rows}
    return {
        addresses.DATA_CSV: _csv(rows, [heading(column) for column in COLUMNS]),
        addresses.DATA_JSON: (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
        addresses.DATA_EXCEL: _csv(rows, ["Adresse", *(heading(f.key, f.label) for f in FIELDS)], ";"),
    }
