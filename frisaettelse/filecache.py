"""Story files read and checked once per change, for `mkdocs serve` and the contributor's preview.

The plugin instance outlives a build under `mkdocs serve`; it keeps one `FileCache`, so a rebuild after editing one
story parses and checks that story again and takes the others as they were. A file counts as changed when its
modification time or size differs; the checks also run again when what they depend on (the known ids) changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .load import Document, parse_document
from .problems import Problem
from .validate import Context, Rule, validate_documents

_Stamp = tuple[int, int]


@dataclass
class _Entry:
    stamp: _Stamp
    shown: str
    parsed: tuple[Document | None, list[Problem]]
    checked: dict[tuple[int, Context], list[Problem]] = field(default_factory=dict)


class FileCache:
    def __init__(self) -> None:
        self._entries: dict[Path, _Entry] = {}

    @staticmethod
    def _stamp(path: Path) -> _Stamp | None:
        try:
            stat = path.stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def parse(self, abs_path: Path, shown: str) -> tuple[Document | None, list[Problem]]:
        """`load.parse_document`, remembered while the file is unchanged."""
        stamp = self._stamp(abs_path)
        entry = self._entries.get(abs_path)
        if stamp is not None and entry is not None and entry.stamp == stamp and entry.shown == shown:
            return entry.parsed
        parsed = parse_document(abs_path, shown)
        if stamp is not None:
            self._entries[abs_path] = _Entry(stamp, shown, parsed)
        return parsed

    def validate(self, documents: list[Document], rules: tuple[Rule, ...], ctx: Context) -> list[Problem]:
        """`validate.validate_documents`, remembered per document while its file and the context are unchanged."""
        problems: list[Problem] = []
        for doc in documents:
            entry = self._entries.get(doc.abs_path)
            if entry is None or entry.parsed[0] is not doc:
                problems += validate_documents([doc], rules, ctx)
                continue
            key = (id(rules), ctx)
            if key not in entry.checked:
                entry.checked[key] = validate_documents([doc], rules, ctx)
            problems += entry.checked[key]
        return problems
