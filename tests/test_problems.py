"""Problems as terminal and CI-log lines: one problem is one printable line, whatever a quoted value holds."""

from __future__ import annotations

import pytest

from frisaettelse.problems import Problem

CONTROLS = {
    "ESC (colour, cursor)": "\x1b[2K\x1b[1A",
    "CR": "\r",
    "LF": "\n",
    "CRLF": "\r\n",
    "line separator U+2028": "\u2028",
    "paragraph separator U+2029": "\u2029",
    "next line U+0085": "\x85",
    "BEL": "\x07",
    "DEL": "\x7f",
    "backspace": "\x08",
    "right-to-left override U+202E": "\u202e",
    "left-to-right isolate U+2066": "\u2066",
    "NUL": "\x00",
    "vertical tab": "\x0b",
}
FORGED = "cases/x.md:1: FM001 Falsk\n::error file=cases/y.md,line=1::Falsk"


def problem(where: str, inserted: str) -> Problem:
    value = f"før{inserted}{FORGED}{inserted}efter"
    return Problem(
        value if where == "path" else "cases/x.md",
        7,
        "FM003",
        f"Ukendt princip '{value}'." if where == "message" else "Ukendt princip.",
        f"Skriv '{value}'." if where == "hint" else "Ret det.",
    )


@pytest.mark.parametrize("where", ["path", "message", "hint"])
@pytest.mark.parametrize("name", CONTROLS)
def test_a_problem_is_one_printable_line_in_both_formats(name: str, where: str) -> None:
    found = problem(where, CONTROLS[name])
    for line in (found.format(), found.format_github()):
        assert line.isprintable(), repr(line)
        assert line.splitlines() == [line]
        assert "før" in line and "efter" in line  # the value is shown, escaped, not dropped
    assert found.format_github().startswith("::error file=")  # the forged command is text inside the one line
    assert CONTROLS[name].encode("unicode_escape").decode("ascii") in found.format()


def test_printable_text_is_left_as_written() -> None:
    found = Problem("cases/æøå.md", 2, "FM003", "Ukendt princip ‘kerneopgaven’ – “x”.", "Ret det.")
    assert found.format().startswith("cases/æøå.md:2: FM003 Ukendt princip ‘kerneopgaven’ – “x”. Ret det.")
    github = found.format_github()
    assert github.startswith("::error file=cases/æøå.md,line=2,title=FM003::Ukendt princip ‘kerneopgaven’")
