"""Every warning a build logs becomes one Danish `Problem` shown instead; `tjek` runs the same build in-process, so
both agree by construction."""

from __future__ import annotations

import logging
import posixpath
import re
import sys
import tempfile
import traceback
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import Any

from mkdocs.utils import CountHandler

from ..links import LINK_HINT
from ..problems import Code, Problem
from ..validate import shown as quoted
from ..validate import suggest

_ANCHOR = "peger på et afsnit (#{anchor}), som siden ikke har"
_NOT_FOUND = r"', but the target(?: '[^']*')? is not found among documentation"
_LINKS = {  # MkDocs' link warning after "Doc file 'x' contains ", and what the Danish line says about the link
    r"a link '(?P<url>[^'#]*\.md(?:#[^']*)?)" + _NOT_FOUND: "peger på en side, der ikke findes",
    r"a link '(?P<url>[^']*)" + _NOT_FOUND: "peger på en fil, der ikke findes (skriv sider med endelsen .md)",
    r"a link '(?P<url>[^']*)', but (?:the doc '[^']*' does not contain an|there is no such) anchor": _ANCHOR,
    r"an absolute link '(?P<url>[^']*)'": "peger på en adresse fra sitets rod, som ikke virker, når sitet ligger i en undermappe",
    r"an unrecognized relative link '(?P<url>[^']*)'": "peger på en adresse, som ikke er en fil (skriv sider med endelsen .md)",
}
_LINK_PATTERNS = [(re.compile(r"Doc file '(?P<src>[^']+)' contains " + rx), reason) for rx, reason in _LINKS.items()]
_MACRO_ERRORS = {  # mkdocs-macros' error type: the message and the fix
    "TemplateSyntaxError": (
        "Makrokoden kan ikke læses.",
        "Luk hver {{ med }} og hver {% med %}. Skal der stå krøllede parenteser som tekst, så skriv "
        "{% raw %} før og {% endraw %} efter.",
    ),
    "": (
        "Makroen kan ikke køres med det, der står i parentesen.",
        "Tjek makroens navn og id'et i anførselstegn, fx {{ princip('hverdagsinnovation') }}.",
    ),
}
_OMITTED = re.compile(r"The following pages exist in the docs directory, but are not included in the \"nav\"")
_UNREADABLE = re.compile(r"(?:File not found|Encoding error reading file): (?P<src>.+)$")
_PAGE_FAILED = re.compile(r"Error (?:reading|building) page '(?P<src>[^']+)'")
_UNDEFINED = re.compile(r"'([^']+)' is undefined")


class BuildProblems:
    """The build's problems; as the filter of every log handler it rewrites a foreign warning once into its Problem's
    line, at `level` (the handlers share the record)."""

    def __init__(
        self,
        *,
        source: Callable[[str], str],  # src_uri -> the file as a contributor finds it, from `root`
        root: Path,
        macro_names: Callable[[], Iterable[str]],
        site_url: str,
        level: int,
        left_out: Collection[str] = (),  # the pages the preview leaves out: links to them are no problem there
    ) -> None:
        self.found: dict[tuple[str, int, str, str], Problem] = {}  # in the order found, once: by where and what
        self.by_path: dict[str, list[Problem]] = {}  # the same, per file
        self._source, self._macro_names, self._left_out = source, macro_names, left_out
        self.root, self.site_url, self.level = root, site_url, level
        self.current: tuple[str, str] | None = None  # (src_uri, markdown) of the page being read
        self.said: set[str] = set()  # our own closing lines, which MkDocs repeats: shown as they are

    def add(self, problem: Problem) -> bool:
        """False if already reported (the pipeline and MkDocs may both see a story's link)."""
        key = (problem.path, problem.line, problem.code, problem.message)
        if key in self.found:
            return False
        self.found[key] = problem
        self.by_path.setdefault(problem.path, []).append(problem)
        return True

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "frisaettelse"):
            return record.frisaettelse is not None
        if record.levelno < logging.WARNING or record.getMessage() in self.said:
            return True
        problem = self.translate(record)
        if problem is None or not self.add(problem):
            record.frisaettelse = None
            return False
        record.frisaettelse = problem
        record.msg, record.args = problem.format(self.site_url), ()
        record.exc_info = record.exc_text = record.stack_info = None
        record.levelno, record.levelname = self.level, logging.getLevelName(self.level)
        return True

    def translate(self, record: logging.LogRecord) -> Problem | None:
        message = record.getMessage()
        if message.startswith("A 'dirty' build is being performed"):
            return None  # the preview's own choice (`--dirty`), not a problem in the content
        for pattern, reason in _LINK_PATTERNS:
            if match := pattern.match(message):
                path, url = self._source(match["src"]), match["url"]
                target = posixpath.normpath(posixpath.join(posixpath.dirname(match["src"]), url.split("#")[0]))
                if target in self._left_out:
                    return None
                lines, needle = text_of(self.root / path).split("\n"), url.split("#")[0] or url
                line = next((n for n, row in enumerate(lines, start=1) if needle and needle in row), 1)
                what = f"Linket '{quoted(url)}' {reason.format(anchor=url.partition('#')[2])}."
                return Problem(path, line, Code.FM031, what, LINK_HINT)
        if unreadable := _UNREADABLE.match(message):  # the same rule as a story file that cannot be read (load.py)
            path = self._source(unreadable["src"].replace("\\", "/"))
            return Problem(path, 1, Code.FM001, "Filen kan ikke læses som UTF-8-tekst.", "Gem filen som UTF-8.")
        if _OMITTED.match(message):
            pages = [line.strip()[2:] for line in message.split("\n")[1:] if line.strip().startswith("- ")]
            what = f"Siden er ikke med i menuen (nav i mkdocs.yml): {', '.join(pages)}."
            fix = "Skriv siden i nav i mkdocs.yml, eller under not_in_nav, hvis den kun skal nås via links."
            return Problem(self._source(pages[0] if pages else ""), 1, Code.FM067, what, fix)
        error = record.exc_info[1] if record.exc_info else sys.exc_info()[1]
        if record.name.startswith("mkdocs.plugins.mkdocs_macros") and error is not None:
            return self._macro_problem(error)
        failed = _PAGE_FAILED.match(message)
        where = failed["src"] if failed else self.current[0] if self.current else ""
        path = self._source(where) if where else "mkdocs.yml"
        if failed and path in self.by_path:
            return None  # MkDocs repeats, with the exception, a reason already reported for this page
        first = message.strip().split("\n")[0]
        fix = "Ret det, der nævnes; spørg redaktionen, hvis beskeden ikke giver mening."
        return Problem(path, 1, Code.FM067, f"Bygget melder: '{quoted(first, 160)}'.", fix)

    def _macro_problem(self, error: BaseException) -> Problem:
        if isinstance(getattr(error, "problem", None), Problem):  # frisaettelse.macros.ReferenceProblem
            return error.problem  # type: ignore[attr-defined]
        src, markdown = self.current or ("", "")
        path = self._source(src)
        # Jinja's rewritten traceback names the page `<template>`; MkDocs took the front-matter off before it ran.
        frames = [f.lineno for f in traceback.extract_tb(error.__traceback__) if f.filename == "<template>"]
        line = getattr(error, "lineno", None) or (frames[-1] if frames else None) or 1
        text = text_of(self.root / path).replace("\r\n", "\n")
        at = text.find(markdown.strip("\n").split("\n")[0]) if markdown.strip() else -1
        line += text.count("\n", 0, at) if at > 0 else 0
        name = type(error).__name__
        if (undefined := _UNDEFINED.search(str(error))) and name == "UndefinedError":
            fix = suggest(undefined.group(1), sorted(self._macro_names()), noun="makroer") + " Ret navnet i {{ … }}."
            return Problem(path, line, Code.FM065, f"Ukendt makro '{quoted(undefined.group(1))}'.", fix)
        return Problem(path, line, Code.FM065, *_MACRO_ERRORS.get(name, _MACRO_ERRORS[""]))


def text_of(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""


class _Listen(logging.Handler):
    """So the filter runs when nothing else listens (`tjek`)."""

    def emit(self, record: logging.LogRecord) -> None:
        pass


def _danish_only(record: logging.LogRecord) -> bool:
    """The preview's terminal: our Danish lines and real warnings, not the dev server's request log."""
    if record.name.startswith("mkdocs.plugins.frisaettelse"):
        return True
    if record.name.startswith("mkdocs.livereload"):
        return False
    return record.levelno >= logging.WARNING and "'dirty' build is being performed" not in record.getMessage()


def listen(problems: BuildProblems | None, *, serve: bool = False, preview: bool = False) -> None:
    """`problems` filters every handler of MkDocs' log from now on; None: no build's filter, and no `_Listen`. Under
    `serve` MkDocs' strict counter goes (it would stop the server); the preview's terminal gets our lines only."""
    logger = logging.getLogger("mkdocs")
    if problems is not None and not any(isinstance(h, _Listen) for h in logger.handlers):
        logger.addHandler(_Listen(logging.WARNING))
    for handler in list(logger.handlers):
        for old in [f for f in handler.filters if isinstance(f, BuildProblems)]:
            handler.removeFilter(old)
        if (serve and isinstance(handler, CountHandler)) or (problems is None and isinstance(handler, _Listen)):
            logger.removeHandler(handler)
        elif problems is not None:
            handler.addFilter(problems)
            if preview and _danish_only not in handler.filters:
                handler.addFilter(_danish_only)


def check_site(root: Path) -> tuple[list[Problem], Any]:
    """`mkdocs build --strict` into a temporary folder, in this process: its Problems and the plugin."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    # Nothing reaches Python's last-resort handler (stderr) while loading; `listen(None)` removes it.
    logging.getLogger("mkdocs").addHandler(_Listen(logging.WARNING))
    plugin: Any = None
    stopped = ""
    with tempfile.TemporaryDirectory(prefix="frisaettelse-tjek-") as site_dir:
        try:
            config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=site_dir, strict=True)
            plugin = config.plugins["frisaettelse"]
            plugin.config.preview = False  # the published build's verdict, never the preview's
            plugin.config.record_published_urls = False  # checking never writes the address record
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
        except Exception as error:  # mkdocs.yml itself, or a build that stops: the reasons are in the plugin's problems
            stopped = str(error) if isinstance(error, MkDocsException) else f"{type(error).__name__}: {error}"
        finally:
            listen(None)
    found = list(plugin.problems.found.values()) if hasattr(plugin, "problems") else []
    if found or not stopped:
        return found, plugin
    return [Problem("mkdocs.yml", 1, Code.FM067, f"Bygget stoppede: '{quoted(stopped, 160)}'.")], plugin
