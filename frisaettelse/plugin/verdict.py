"""The build's verdict as Problems, and the in-process build that `tjek` runs.

Every warning a build logs – ours, MkDocs' link checks, mkdocs-macros, the theme – becomes one Danish `Problem`
with file, line and fix, and that line is what the terminal shows instead of the original. `check_site` runs the
same build into a temporary folder and returns those Problems: `tjek` and `mkdocs build --strict` give one verdict
and the same lines by construction (see ARCHITECTURE.md).
"""

from __future__ import annotations

import logging
import re
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..links import LINK_CODE, LINK_HINT
from ..problems import Code, Problem
from ..validate import shown as quoted
from ..validate import suggest

MACRO_CODE = Code.FM065
SCRIPT_CODE = Code.FM066
BUILD_CODE = Code.FM067

_DOC = r"Doc file '(?P<src>[^']+)' contains "
_LINKS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(_DOC + r"a link '(?P<url>[^']*)', but the target(?: '[^']*')? is not found among documentation"),
        lambda m: (
            "peger på en side, der ikke findes"
            if m["url"].split("#")[0].endswith(".md")
            else "peger på en fil, der ikke findes (skriv sider med endelsen .md)"
        ),
    ),
    (
        re.compile(_DOC + r"a link '(?P<url>[^']*)', but the doc '(?P<doc>[^']*)' does not contain an anchor"),
        lambda m: f"peger på et afsnit (#{m['url'].partition('#')[2]}), som siden ikke har",
    ),
    (
        re.compile(_DOC + r"a link '(?P<url>[^']*)', but there is no such anchor on this page"),
        lambda m: f"peger på et afsnit (#{m['url'].partition('#')[2]}), som siden ikke har",
    ),
    (
        re.compile(_DOC + r"an absolute link '(?P<url>[^']*)'"),
        lambda m: "peger på en adresse fra sitets rod, som ikke virker, når sitet ligger i en undermappe",
    ),
    (
        re.compile(_DOC + r"an unrecognized relative link '(?P<url>[^']*)'"),
        lambda m: "peger på en adresse, som ikke er en fil (skriv sider med endelsen .md)",
    ),
)
_OMITTED = re.compile(r"The following pages exist in the docs directory, but are not included in the \"nav\"")
_UNREADABLE = re.compile(r"(?:File not found|Encoding error reading file): (?P<src>.+)$")
_PAGE_FAILED = re.compile(r"Error (?:reading|building) page '(?P<src>[^']+)'")
_UNDEFINED = re.compile(r"'([^']+)' is undefined")


class BuildProblems:
    """Every problem of one build, in the order found; each one once."""

    def __init__(
        self,
        *,
        source: Callable[[str], tuple[str, Path | None]],
        macro_names: Callable[[], list[str]],
        ignore_link: Callable[[str, str], bool] = lambda src, url: False,
    ) -> None:
        self.found: list[Problem] = []
        self._keys: set[tuple[str, int, str, str]] = set()
        self._source = source  # src_uri -> (the path a contributor sees, the file)
        self._macro_names = macro_names
        self._ignore_link = ignore_link  # the preview leaves the listing pages out: links to them are fine
        self.current: tuple[str, str] | None = None  # (src_uri, markdown) of the page being read
        self.said: set[str] = set()  # our own closing lines, which MkDocs repeats: shown as they are

    def add(self, problem: Problem) -> bool:
        """False if the same problem is already reported (the pipeline and MkDocs may both see a story's link)."""
        key = (problem.path, problem.line, problem.code, problem.message)
        if key in self._keys:
            return False
        self._keys.add(key)
        self.found.append(problem)
        return True

    def for_path(self, path: str) -> list[Problem]:
        return [p for p in self.found if p.path == path]

    # --- translation of other code's log lines -------------------------------------------------------------------

    def translate(self, record: logging.LogRecord) -> Problem | None:
        """The Danish Problem for a warning MkDocs, the theme or mkdocs-macros logged; None to leave it out."""
        message = record.getMessage()
        if message.startswith("A 'dirty' build is being performed"):
            return None  # the preview's own choice (`--dirty`), not a problem in the content
        for pattern, reason in _LINKS:
            match = pattern.match(message)
            if match:
                if self._ignore_link(match["src"], match["url"]):
                    return None
                path, file = self._source(match["src"])
                return Problem(
                    path,
                    _line_of(file, match["url"].split("#")[0] or match["url"]),
                    LINK_CODE,
                    f"Linket '{quoted(match['url'])}' {reason(match)}.",
                    LINK_HINT,
                )
        unreadable = _UNREADABLE.match(message)
        if unreadable:  # the same rule as a story file that cannot be read (load.py)
            path, _ = self._source(unreadable["src"].replace("\\", "/"))
            return Problem(path, 1, Code.FM001, "Filen kan ikke læses som UTF-8-tekst.", "Gem filen som UTF-8.")
        if _OMITTED.match(message):
            pages = [line.strip()[2:] for line in message.split("\n")[1:] if line.strip().startswith("- ")]
            path, _ = self._source(pages[0] if pages else "")
            return Problem(
                path,
                1,
                BUILD_CODE,
                f"Siden er ikke med i menuen (nav i mkdocs.yml): {', '.join(pages)}.",
                "Skriv siden i nav i mkdocs.yml, eller under not_in_nav, hvis den kun skal nås via links.",
            )
        error = record.exc_info[1] if record.exc_info else sys.exc_info()[1]
        if record.name.startswith("mkdocs.plugins.mkdocs_macros") and error is not None:
            return self._macro_problem(error)
        failed = _PAGE_FAILED.match(message)
        where = failed["src"] if failed else self.current[0] if self.current else ""
        path, file = self._source(where) if where else ("mkdocs.yml", None)
        if failed and self.for_path(path):
            return None  # MkDocs repeats, with the exception, a reason already reported for this page
        first = message.strip().split("\n")[0]
        return Problem(
            path,
            1,
            BUILD_CODE,
            f"Bygget melder: '{quoted(first, 160)}'.",
            "Ret det, der nævnes; spørg redaktionen, hvis beskeden ikke giver mening.",
        )

    def _macro_problem(self, error: BaseException) -> Problem:
        if isinstance(getattr(error, "problem", None), Problem):  # frisaettelse.macros.ReferenceProblem
            return error.problem  # type: ignore[attr-defined]
        src, markdown = self.current or ("", "")
        path, file = self._source(src)
        line = getattr(error, "lineno", None) or _template_line(error)
        line = (line or 1) + _body_offset(file, markdown)
        undefined = _UNDEFINED.search(str(error))
        if undefined and type(error).__name__ == "UndefinedError":
            name = undefined.group(1)
            options = sorted(self._macro_names())
            return Problem(
                path,
                line,
                MACRO_CODE,
                f"Ukendt makro '{quoted(name)}'.",
                f"{suggest(name, options, noun='makroer')} Ret navnet i {{{{ … }}}}.",
            )
        if type(error).__name__ == "TemplateSyntaxError":
            return Problem(
                path,
                line,
                MACRO_CODE,
                "Makrokoden kan ikke læses.",
                "Luk hver {{ med }} og hver {% med %}. Skal der stå krøllede parenteser som tekst, så skriv "
                "{% raw %} før og {% endraw %} efter.",
            )
        return Problem(
            path,
            line,
            MACRO_CODE,
            "Makroen kan ikke køres med det, der står i parentesen.",
            "Tjek makroens navn og id'et i anførselstegn, fx {{ princip('hverdagsinnovation') }}.",
        )


def _text(file: Path | None) -> str:
    try:
        return file.read_text(encoding="utf-8-sig") if file is not None else ""
    except (OSError, UnicodeDecodeError):
        return ""


def _line_of(file: Path | None, needle: str) -> int:
    """The first line of the file that mentions `needle` (1 when none does)."""
    for number, line in enumerate(_text(file).split("\n"), start=1):
        if needle and needle in line:
            return number
    return 1


def _body_offset(file: Path | None, markdown: str) -> int:
    """Lines before the page's Markdown in its file (the front-matter MkDocs took off before the macros ran)."""
    text = _text(file).replace("\r\n", "\n")
    first = markdown.strip("\n").split("\n")[0] if markdown.strip() else ""
    at = text.find(first) if first else -1
    return text.count("\n", 0, at) if at > 0 else 0


def _template_line(error: BaseException) -> int | None:
    """The line in the page where Jinja stopped (its rewritten traceback names the template `<template>`)."""
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__) if frame.filename == "<template>"]
    return lines[-1] if lines and lines[-1] else None


class Translate(logging.Filter):
    """On every handler of the `mkdocs` logger: a foreign warning is rewritten, once, into its Problem's line
    (the record is shared by the handlers, so the console and MkDocs' strict counter see the same Danish line)."""

    def __init__(self, problems: BuildProblems, site_url: str, *, level: int) -> None:
        super().__init__()
        self.problems = problems
        self.site_url = site_url
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "frisaettelse"):
            return record.frisaettelse is not None
        if record.levelno < logging.WARNING or record.getMessage() in self.problems.said:
            return True
        problem = self.problems.translate(record)
        if problem is None or not self.problems.add(problem):
            record.frisaettelse = None
            return False
        record.frisaettelse = problem
        record.msg, record.args = problem.format(self.site_url), ()
        record.exc_info = record.exc_text = None
        record.stack_info = None
        record.levelno, record.levelname = self.level, logging.getLevelName(self.level)
        return True


class _Listen(logging.Handler):
    """Makes sure the filter runs even when nothing else listens (the in-process build of `tjek`)."""

    def emit(self, record: logging.LogRecord) -> None:
        pass


def listen(translate: Translate) -> None:
    """Put the build's filter on every handler of the `mkdocs` logger, replacing the previous build's."""
    logger = logging.getLogger("mkdocs")
    if not any(isinstance(h, _Listen) for h in logger.handlers):
        logger.addHandler(_Listen(logging.WARNING))
    for handler in logger.handlers:
        for old in [f for f in handler.filters if isinstance(f, Translate)]:
            handler.removeFilter(old)
        handler.addFilter(translate)


def stop_listening() -> None:
    logger = logging.getLogger("mkdocs")
    for handler in list(logger.handlers):
        for old in [f for f in handler.filters if isinstance(f, Translate)]:
            handler.removeFilter(old)
        if isinstance(handler, _Listen):
            logger.removeHandler(handler)


def never_abort() -> None:
    """Serving: problems are shown on their pages, so MkDocs' strict counter (which would stop the server on the
    first warning) is taken off the logger for this build."""
    from mkdocs.utils import CountHandler

    logger = logging.getLogger("mkdocs")
    for handler in [h for h in logger.handlers if isinstance(h, CountHandler)]:
        logger.removeHandler(handler)


def check_site(root: Path) -> tuple[list[Problem], Any]:
    """`mkdocs build --strict` of the project at `root` into a temporary folder, in this process: its Problems in
    the order the build reports them, and the plugin (for the counts `tjek` prints when all is well)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    quiet = _Listen(logging.WARNING)  # nothing reaches Python's last-resort handler (stderr) while loading
    logger.addHandler(quiet)
    try:
        with tempfile.TemporaryDirectory(prefix="frisaettelse-tjek-") as site_dir:
            try:
                config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=site_dir, strict=True)
            except MkDocsException as error:  # mkdocs.yml itself: nothing is built
                return [
                    Problem("mkdocs.yml", 1, BUILD_CODE, f"Bygget stoppede: '{quoted(str(error), 160)}'.", "")
                ], None
            plugin = config.plugins["frisaettelse"]
            plugin.config.preview = False  # the published build's verdict, never the preview's
            plugin.config.record_published_urls = False  # checking never writes the address record
            config.plugins.on_startup(command="build", dirty=False)
            stopped = ""
            try:
                build(config)
            except Exception as error:  # a build that stops: the reasons are in the plugin's problems
                stopped = str(error) if isinstance(error, MkDocsException) else f"{type(error).__name__}: {error}"
            finally:
                config.plugins.on_shutdown()
                stop_listening()
            found = list(plugin.problems.found) if hasattr(plugin, "problems") else []
            if stopped and not found:
                found.append(Problem("mkdocs.yml", 1, BUILD_CODE, f"Bygget stoppede: '{quoted(stopped, 160)}'.", ""))
            return found, plugin
    finally:
        logger.removeHandler(quiet)
