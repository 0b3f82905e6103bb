"""Under `serve` a story file is read again only when its time or size changes, checked again only when it or the
known ids change: a rebuild reads the one file that was saved."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .load import Document, parse_document
from .problems import Problem
from .validate import Context, Rule, validate_documents

T = TypeVar("T")


@dataclass
class _Entry:
    stamp: tuple[int, int, str]
    parsed: tuple[Document | None, list[Problem]]
    checked: dict[tuple[int, Context], list[Problem]] = field(default_factory=dict)
    made: Any = None  # its Story


class FileCache:
    def __init__(self) -> None:
        self._entries: dict[Path, _Entry] = {}

    def parse(self, abs_path: Path, shown: str) -> tuple[Document | None, list[Problem]]:
        try:
            stat = abs_path.stat()
        except OSError:
            return parse_document(abs_path, shown)
        stamp = (stat.st_mtime_ns, stat.st_size, shown)
        entry = self._entries.get(abs_path)
        if entry is None or entry.stamp != stamp:
            entry = self._entries[abs_path] = _Entry(stamp, parse_document(abs_path, shown))
        return entry.parsed

    def validate(self, documents: list[Document], rules: tuple[Rule, ...], ctx: Context) -> list[Problem]:
        problems: list[Problem] = []
        for doc in documents:
            entry = self._entries.get(doc.abs_path)
            checked = entry.checked if entry is not None and entry.parsed[0] is doc else {}  # else: not kept
            key = (id(rules), ctx)
            if key not in checked:
                checked[key] = validate_documents([doc], rules, ctx)
            problems += checked[key]
        return problems

    def made(self, doc: Document, make: Callable[[Document], T]) -> T:
        """What is made from a file's document (its Story), made again only when the file changes."""
        entry = self._entries.get(doc.abs_path)
        if entry is None or entry.parsed[0] is not doc:
            return make(doc)
        entry.made = entry.made or make(doc)
        return entry.made
