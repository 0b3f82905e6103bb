"""FM020: references from docs pages by macro (`{{ princip('x') }}`, `{{ hegnspael('x') }}`, `{{ historie('x') }}`)
to ids that do not exist, found before the build so `check` catches a renamed story or principle.

The macros themselves (site.py) fail the build on the same references; this reads the pages as text, the way the
macros will be called, and reports every unknown id at once with the file, the line and a suggestion.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from .load import slugify
from .model import SiteIndex
from .problems import Code, Problem

_CALL = re.compile(r"""\b(princip|hegnspael|historie)\s*\(\s*(?:'([^'\n]*)'|"([^"\n]*)")\s*\)""")
_EXPRESSION = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}", re.DOTALL)
_NOUNS = {"princip": "princip", "hegnspael": "hegnspæl", "historie": "historie"}


def _blank(match: re.Match[str]) -> str:
    """Text Jinja prints as is ({% raw %}) keeps its line breaks but loses its calls."""
    return "\n" * match.group(0).count("\n")


def _calls(text: str) -> Iterator[tuple[int, str, str]]:
    """(line, macro, id) for every macro call inside a Jinja expression or statement."""
    text = _RAW.sub(_blank, text)
    for expression in _EXPRESSION.finditer(text):
        for call in _CALL.finditer(expression.group(0)):
            offset = expression.start() + call.start()
            yield (
                text.count("\n", 0, offset) + 1,
                call.group(1),
                call.group(2) if call.group(2) is not None else call.group(3),
            )


def _pages(docs_dir: Path) -> list[Path]:
    """Markdown pages below docs/, without following links."""
    pages = []
    for dirpath, _, filenames in os.walk(docs_dir, followlinks=False):
        pages += [
            Path(dirpath) / name
            for name in filenames
            if name.endswith(".md") and not (Path(dirpath) / name).is_symlink()
        ]
    return sorted(pages)


def check_doc_references(index: SiteIndex, docs_dir: Path, root: Path) -> list[Problem]:
    """Every macro call on every docs page whose id is unknown (stories also by a former address)."""
    from .validate import shown as quoted
    from .validate import suggest

    problems: list[Problem] = []
    if not docs_dir.is_dir():
        return problems
    for path in _pages(docs_dir):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # MkDocs reports an unreadable page itself
        if "{" not in text:
            continue
        shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        for line, macro, wanted in _calls(text):
            if macro == "historie":
                known = index.story_by_slug(slugify(wanted)) is not None
                options = sorted(index.stories)
            else:
                table = index.principles if macro == "princip" else index.boundaries
                known = wanted in table
                options = sorted(table)
            if not known:
                hint = suggest(wanted, options) if options else "Der er ingen endnu."
                problems.append(
                    Problem(
                        shown,
                        line,
                        Code.FM020,
                        f"Ukendt {_NOUNS[macro]} '{quoted(wanted)}'.",
                        f"{hint} Ret id'et i makroen.",
                    )
                )
    return problems
