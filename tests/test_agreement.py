"""`tjek` is the build: it runs the same build in-process (frisaettelse/plugin/verdict.py), so both give one verdict
by construction. Here: every kind of warning a build logs becomes one Danish Problem with the right file and line
(in memory); the build's problems on docs pages (in-process); and a real `mkdocs build --strict` prints exactly the
lines `tjek` prints (a few subprocess builds)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from helpers import make_site, mkdocs_build, run_check

from frisaettelse.plugin import verdict
from frisaettelse.problems import Problem

PAGE = "---\ntitle: Side\n---\n\n# Side\n\nTekst med [et link](mangler.md).\n\n{{ prinsip('kerneopgaven') }}\n"


def _record(message: str, name: str = "mkdocs.structure.pages", exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc is not None else None
    return logging.LogRecord(name, logging.WARNING, __file__, 1, message, (), exc_info)


def _undefined() -> BaseException:
    import jinja2

    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    try:
        env.from_string("# Side\n\nTekst med [et link](mangler.md).\n\n{{ prinsip('kerneopgaven') }}\n").render()
    except jinja2.UndefinedError as error:
        return error
    raise AssertionError("no error")


def _syntax() -> BaseException:
    import jinja2

    try:
        jinja2.Environment().from_string("# Side\n\nTekst\n\n{{ princip('x' }}\n")
    except jinja2.TemplateSyntaxError as error:
        return error
    raise AssertionError("no error")


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (
            _record(
                "Doc file 'om/side.md' contains a link 'mangler.md', but the target is not found among documentation files."
            ),
            ("docs/om/side.md", 7, "FM031"),
        ),
        (
            _record(
                "Doc file 'om/side.md' contains a link 'mangler.md', but the target 'om/mangler.md' is not found among documentation files. Did you mean 'x.md'?"
            ),
            ("docs/om/side.md", 7, "FM031"),
        ),
        (
            _record(
                "Doc file 'om/side.md' contains a link 'mangler.md#a', but the doc 'om/mangler.md' does not contain an anchor '#a'."
            ),
            ("docs/om/side.md", 7, "FM031"),
        ),
        (_record("Doc file 'om/side.md' contains an absolute link '/mangler.md', it was left as is."), None),
        (_record("Doc file 'om/side.md' contains an unrecognized relative link 'mangler', it was left as is."), None),
        (_record("x", name="mkdocs.plugins.mkdocs_macros.util", exc=_undefined()), ("docs/om/side.md", 9, "FM065")),
        (_record("x", name="mkdocs.plugins.mkdocs_macros.util", exc=_syntax()), ("docs/om/side.md", 9, "FM065")),
        (_record("Something English we never saw"), ("docs/om/side.md", 1, "FM067")),
        (_record("Encoding error reading file: om/side.md"), ("docs/om/side.md", 1, "FM001")),
    ],
)
def test_every_warning_of_a_build_is_one_danish_problem(
    tmp_path: Path, record: logging.LogRecord, expected: tuple[str, int, str] | None
) -> None:
    page = tmp_path / "docs" / "om" / "side.md"
    page.parent.mkdir(parents=True)
    page.write_text(PAGE, encoding="utf-8")
    problems = verdict.BuildProblems(
        source=lambda src: f"docs/{src}",
        root=tmp_path,
        macro_names=lambda: ["princip", "hegnspael"],
        site_url="http://x/",
        level=logging.ERROR,
    )
    problems.current = ("om/side.md", PAGE.split("---\n", 2)[2].lstrip("\n"))
    assert problems.filter(record)
    assert record.frisaettelse is not None  # type: ignore[attr-defined]
    [problem] = problems.found.values()
    assert record.getMessage() == problem.format("http://x/") and record.exc_info is None  # the line shown is Danish
    if expected is None:  # absolute and unrecognised links: the line of the link, whatever it says
        assert (problem.path, problem.code) == ("docs/om/side.md", "FM031")
    else:
        assert (problem.path, problem.line, problem.code) == expected
    assert "Traceback" not in problem.format() and "\n" not in problem.format()
    assert not problems.add(problem)  # once, however often it is logged


def _lines(output: str) -> list[str]:
    """The problem lines of `tjek` or of the build (without the build's level prefix)."""
    found = []
    for line in output.splitlines():
        line = line.split("-  ", 1)[1] if line.startswith(("ERROR ", "WARNING ")) else line
        if ": FM0" in line:
            found.append(line)
    return found


@pytest.mark.langsom
@pytest.mark.parametrize(
    ("path", "change", "code"),
    [
        ("docs/om/data.md", "\nSe [siden](findes-ikke.md).\n", "FM031"),
        ("docs/om/data.md", "\n{{ prinsip('kerneopgaven') }}\n", "FM065"),
        ("cases/aendret-aabningstid.md", None, "FM003"),
    ],
)
def test_tjek_prints_exactly_the_lines_of_the_strict_build(
    tmp_path: Path, path: str, change: str | None, code: str
) -> None:
    site = make_site(tmp_path, keep_cases=True)
    file = site / path
    text = file.read_text(encoding="utf-8")
    file.write_text(
        text + change if change is not None else text.replace("principper: [", "principper: [kerneopgave, "),
        encoding="utf-8",
    )
    check = run_check(site)
    build = mkdocs_build(site, tmp_path / "out")
    assert check.returncode == 1 and build.returncode == 1
    assert "Traceback" not in check.stderr + build.stderr
    assert _lines(check.stdout) == _lines(build.stderr) != []
    assert any(line.startswith(f"{path}:") and f": {code} " in line for line in _lines(check.stdout))


@pytest.mark.langsom
def test_the_build_s_problems_on_docs_pages_in_process(tmp_path: Path) -> None:
    """One site, every kind of docs-page problem at once; the shared function reports each with its line."""
    site = make_site(tmp_path, keep_cases=True)
    data = site / "docs" / "om" / "data.md"
    lines = data.read_text(encoding="utf-8").count("\n")
    data.write_text(
        data.read_text(encoding="utf-8") + "\nSe [siden](findes-ikke.md) og [afsnittet](#findes-ikke).\n\n"
        "<script>alert(1)</script>\n",
        encoding="utf-8",
    )
    problems, _ = verdict.check_site(site)
    found = {(p.path, p.line, p.code) for p in problems}
    assert found == {
        ("docs/om/data.md", lines + 2, "FM031"),
        ("docs/om/data.md", lines + 4, "FM066"),
    }, problems
    assert all(isinstance(p, Problem) and p.hint for p in problems)

    data.write_text(data.read_text(encoding="utf-8").replace("<script>alert(1)</script>", "{{ prinsip('x') }}"))
    problems, _ = verdict.check_site(site)
    assert [(p.path, p.line, p.code) for p in problems] == [("docs/om/data.md", lines + 4, "FM065")]
    assert "princip" in problems[0].hint  # the nearest macro is suggested
