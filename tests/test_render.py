"""Rendering: contributor text is escaped; links are relative source paths that MkDocs can validate."""

from __future__ import annotations

import datetime as dt

from frisaettelse.render import danish_date, heading_slug, href
from frisaettelse.sanitize import markdown_text as text


def test_text_escapes_html_markdown_and_template_braces() -> None:
    escaped = text("<b>*fed*</b> [link](x) {{ config }} #1")
    assert "<b>" not in escaped and "{" not in escaped and "}" not in escaped
    assert "\\*fed\\*" in escaped and "\\[link\\]" in escaped


def test_href_is_relative_to_the_current_source_file() -> None:
    assert href("principper/kerneopgaven.md", "historier/x.md") == "../principper/kerneopgaven.md"
    assert href("historier/x.md", "index.md") == "historier/x.md"


def test_danish_date_and_heading_slug() -> None:
    assert danish_date(dt.date(2023, 12, 19)) == "19. december 2023"
    assert heading_slug("Forsøg med ændret åbningstid") == "forsoeg-med-aendret-aabningstid"
