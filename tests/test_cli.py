"""The command line as a contributor meets it: Danish help and errors, the project found from any sub-folder, a taken
port in one line. In this process (`cli.main`); in a real process only where the process itself is the point."""

from __future__ import annotations

import argparse
import contextlib
import inspect
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from helpers import FIXTURES, ROOT, changed, make_site, real_index, run_cli, tiny_project

from frisaettelse import cli
from frisaettelse.cli import DANISH, build_parser

ENGLISH = re.compile(
    r"\b(usage|options|positional arguments|error|invalid choice|choose from|required|"
    r"unrecognized|expected|show this help|ambiguous|not allowed|argument)\b",
    re.IGNORECASE,
)
COMMANDS = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)).choices
NAMES = [name for name, parser in COMMANDS.items() if parser.prog.endswith(" " + name)]  # aliases left out
FORM = (ROOT / ".github/ISSUE_TEMPLATE/ny-historie.yml").read_text(encoding="utf-8")


# --- Danish help, usage and argparse's own errors --------------------------------------------------------------


@pytest.mark.parametrize("args", [["-h"], ["--hjaelp"], ["--help"], *[[name, "-h"] for name in NAMES]])
def test_every_help_text_is_danish(args: list[str]) -> None:
    code, text, err = run_cli(*args)
    assert code == 0 and err == ""
    assert text.startswith("brug: python -m frisaettelse")
    assert "valgmuligheder:\n  -h, --hjaelp" in text and "Vis denne hjælp, og stop." in text
    assert not ENGLISH.search(text), ENGLISH.search(text)
    if args[0] == "ny":
        assert "positionelle argumenter:\n  titel" in text
    if args[0] in ("-h", "--hjaelp", "--help"):
        assert "kommandoer:" in text
        for name in NAMES:
            assert re.search(rf"^    {re.escape(name)}\b", text, re.MULTILINE), name


def test_every_command_and_option_follows_the_language_rule() -> None:
    """Commands and options are Danish words written without æ, ø and å (README: "Kommandolinjen"), read from the
    parser itself (every command's help), not from a list kept here."""
    help_text = build_parser().format_help() + "".join(command.format_help() for command in COMMANDS.values())
    options = set(re.findall(r"(?<![\w-])--\w[\w-]*", help_text))
    assert options and {"tjek", "check", "ny", "fra-issue", "forhaandsvis", "nyhedsbrev"} <= set(COMMANDS)
    assert all(re.fullmatch(r"[a-z-]+", word) for word in sorted(COMMANDS) + sorted(options))


@pytest.mark.parametrize(
    "args,message",
    [
        ([], "fejl: følgende argumenter kræves: KOMMANDO"),
        (["byg"], "fejl: KOMMANDO: ugyldigt valg: 'byg' (vælg mellem 'tjek', 'check', 'forhaandsvis'"),
        (["tjek", "--format", "json"], "fejl: --format: ugyldigt valg: 'json' (vælg mellem 'tekst', 'github')"),
        (["tjek", "--ukendt"], "fejl: ukendte argumenter: --ukendt"),
        (["tjek", "ekstra"], "fejl: ukendte argumenter: ekstra"),
        (["tjek", "--h"], "fejl: --h er tvetydigt og kan betyde --hjaelp, --help"),
        (["nyhedsbrev", "--siden"], "fejl: --siden: skal have en værdi efter sig"),
        (
            ["nyhedsbrev", "--siden", "19-12-2023"],
            "fejl: --siden: Ugyldig dato '19-12-2023'. Skriv datoen som ÅÅÅÅ-MM-DD",
        ),
        (["nyhedsbrev", "--format", "pdf"], "fejl: --format: ugyldigt valg: 'pdf'"),
        (["fra-issue", "--nummer"], "fejl: --nummer: skal have en værdi efter sig"),
        (["issue-formular", "--skriv=ja"], "fejl: --skriv: tager ingen værdi, men fik 'ja'"),
    ],
)
def test_argparse_errors_are_danish_with_usage_and_a_way_on(args: list[str], message: str) -> None:
    code, out, err = run_cli(*args)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[0].startswith("brug: python -m frisaettelse")
    assert message in err
    assert lines[-1].startswith("Skriv 'python -m frisaettelse") and lines[-1].endswith("-h' for at se hjælpen.")
    assert not ENGLISH.search(err), ENGLISH.search(err)


def test_every_translated_message_is_one_argparse_asks_for() -> None:
    source = inspect.getsource(argparse)
    assert [key for key in DANISH if repr(key)[1:-1] not in source] == []


def test_check_keeps_its_old_name() -> None:
    assert COMMANDS["check"] is COMMANDS["tjek"]


# --- the project is found from any sub-folder --------------------------------------------------------------------


@pytest.fixture
def the_real_index(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The commands' index is the real one, built once, and only for the real project: the roots they found."""
    roots: list[Path] = []

    def found(root: Path, **_: object) -> object:
        roots.append(root)
        return real_index() if root == ROOT else pytest.fail(f"found {root}, not the project")

    monkeypatch.setattr(cli, "build_index", found)
    return roots


@pytest.mark.parametrize("real", [pytest.param(True, marks=pytest.mark.langsom), False])
def test_check_from_a_sub_folder_says_what_it_checked(monkeypatch: pytest.MonkeyPatch, real: bool) -> None:
    """The real site passes, counted from its index; the fast lane takes the verdict of the build as passing."""
    from frisaettelse.plugin import verdict

    if not real:
        monkeypatch.setattr(verdict, "check_site", lambda root: ([], SimpleNamespace(index=real_index())))
    code, out, err = run_cli("tjek", cwd=ROOT / "docs" / "principper")
    assert code == 0 and out == ""
    index = real_index()  # the counts it reports are the index's (a sixth story changes them)
    assert [int(n) for n in re.findall(r"\d+", err)] == [
        len(index.stories),
        len(index.principles),
        len(index.boundaries),
    ]


def test_check_from_a_sub_folder_reports_the_problems_of_the_project(tmp_path: Path) -> None:
    site = make_site(tmp_path, stories={"mangler-felt.md": changed("fri_til: Mere tid til eleverne.\n", "")})
    code, out, _ = run_cli("tjek", cwd=site / "cases")
    assert code == 1 and out.startswith("cases/") and " FM007 " in out


@pytest.mark.parametrize("folder", ["cases", "docs/principper", "overrides"])
def test_every_command_finds_the_project_from_a_sub_folder(folder: str, the_real_index: list[Path]) -> None:
    news = run_cli("nyhedsbrev", cwd=ROOT / folder)
    assert news[0] == 0 and news[1].count("/historier/") == len(real_index().stories)
    assert run_cli("issue-formular", cwd=ROOT / folder) == (0, FORM, "")
    assert the_real_index == [ROOT, ROOT]


def test_new_stories_from_a_sub_folder_land_in_cases(tmp_path: Path) -> None:
    site = tiny_project(tmp_path)
    (site / "noter").mkdir()
    code, out, err = run_cli("ny", "Fri fra skemaet", cwd=site / "cases")
    assert code == 0 and "Historien er oprettet: cases/fri-fra-skemaet.md" in out, err
    code, out, err = run_cli("fra-issue", cwd=site / "noter", stdin=(FIXTURES / "issues/gyldig.md").read_bytes())
    assert code == 0 and out == "cases/fri-fra-det-faste-morgenmoede.md\n", err
    assert sorted(p.name for p in (site / "cases").iterdir()) == [
        "fri-fra-det-faste-morgenmoede.md",
        "fri-fra-skemaet.md",
    ]
    assert not (site / "cases" / "cases").exists() and list((site / "noter").iterdir()) == []


def test_an_explicit_project_still_works_from_anywhere(tmp_path: Path, the_real_index: list[Path]) -> None:
    for option in ("--projekt", "--root"):
        assert run_cli("issue-formular", option, str(ROOT), cwd=tmp_path) == (0, FORM, "")
    assert the_real_index == [ROOT, ROOT]


@pytest.mark.parametrize(
    "args", [["tjek"], ["ny", "Titel"], ["nyhedsbrev"], ["fra-issue"], ["issue-formular"], ["forhaandsvis"]]
)
def test_outside_any_project_one_danish_line(tmp_path: Path, args: list[str]) -> None:
    code, out, err = run_cli(*args, cwd=tmp_path)
    assert code == 2 and out == ""
    assert err.count("\n") == 1  # one line, naming the folder and the way on
    assert str(tmp_path.resolve()) in err and "--projekt" in err
    assert list(tmp_path.iterdir()) == []


def test_an_explicit_folder_without_mkdocs_yml_is_refused(tmp_path: Path) -> None:
    code, _, err = run_cli("tjek", "--projekt", str(tmp_path))
    assert code == 2 and err.count("\n") == 1
    assert str(tmp_path) in err and "--projekt" in err


# --- preview: a taken port is one line, a free one serves the project --------------------------------------------


@contextlib.contextmanager
def taken_port() -> Iterator[int]:
    """A port on 127.0.0.1 that something else is listening on."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


@pytest.fixture
def no_serve(monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview must refuse before it becomes `mkdocs serve`: this process is never replaced."""
    monkeypatch.setattr(os, "execvpe", lambda *args: pytest.fail("forhaandsvis started mkdocs serve"))


@pytest.mark.usefixtures("no_serve")
def test_preview_on_a_taken_port_says_so_in_one_line() -> None:
    with taken_port() as port:
        code, out, err = run_cli("forhaandsvis", "--adresse", f"127.0.0.1:{port}", cwd=ROOT / "cases")
    assert code == 1 and out == "" and err.count("\n") == 1
    match = re.search(r"python -m frisaettelse forhaandsvis --adresse 127\.0\.0\.1:(\d+)\n$", err)
    assert str(port) in err and match and int(match.group(1)) > port  # the command with another port


@pytest.mark.usefixtures("no_serve")
@pytest.mark.parametrize("address", ["8000", "127.0.0.1:99999", "ukendt-vaert.invalid:8000"])
def test_preview_with_an_unusable_address_says_so_in_one_line(address: str) -> None:
    code, _, err = run_cli("forhaandsvis", "--adresse", address, cwd=ROOT)
    assert code == 1 and err.count("\n") == 1
    assert address in err and "127.0.0.1:8000" in err  # what was wrong, and an address that works


@pytest.mark.usefixtures("no_serve")
@pytest.mark.parametrize("given", ["mkdocs.yml", "cases/findes-ikke.md", "docs/index.md"])
def test_preview_of_a_file_that_is_not_a_story_says_so_in_one_line(given: str) -> None:
    code, _, err = run_cli("forhaandsvis", given, cwd=ROOT)
    assert code == 2 and err.count("\n") == 1 and given in err


def test_serve_script_on_a_taken_port_says_so_before_installing_anything(tmp_path: Path) -> None:
    """The script and its port check, copied; `scripts/setup` replaced by one that leaves a mark if it is ever run."""
    (tmp_path / "scripts").mkdir()
    (tmp_path / "frisaettelse").mkdir()
    shutil.copy(ROOT / "scripts" / "serve", tmp_path / "scripts" / "serve")
    shutil.copy(ROOT / "frisaettelse" / "port.py", tmp_path / "frisaettelse" / "port.py")
    (tmp_path / "scripts" / "setup").write_text("touch setup-ran\n", encoding="utf-8")
    with taken_port() as port:
        result = subprocess.run(
            ["bash", "scripts/serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env={**os.environ, "PYTHON": sys.executable},
        )
    assert not (tmp_path / "setup-ran").exists()  # refused before `scripts/setup` (and pip) runs
    assert result.returncode == 1 and result.stdout == ""
    assert "Traceback" not in result.stderr
    assert (
        result.stderr.count("\n") == 1
        and str(port) in result.stderr
        and "bash scripts/serve --dev-addr" in result.stderr
    )


def test_serve_script_reads_the_address_as_mkdocs_does() -> None:
    """`--dev-addr X`, `--dev-addr=X`, `-a X` and `-aX`; the last one wins; the default is 127.0.0.1:8000."""
    from frisaettelse.port import dev_address

    assert dev_address([]) == "127.0.0.1:8000"
    assert dev_address(["--dev-addr", "127.0.0.1:1", "--dirty"]) == "127.0.0.1:1"
    assert dev_address(["--dev-addr=localhost:2"]) == "localhost:2"
    assert dev_address(["-a", "127.0.0.1:3", "-a127.0.0.1:4"]) == "127.0.0.1:4"


def test_preview_from_a_sub_folder_serves_the_project(monkeypatch: pytest.MonkeyPatch) -> None:
    """Started inside cases/, it becomes `mkdocs serve` of the project (serving itself: tests/test_preview.py)."""
    became: list[tuple[str, list[str], dict[str, str], Path]] = []
    monkeypatch.setattr(os, "execvpe", lambda file, args, env: became.append((file, args, env, Path.cwd())))
    monkeypatch.setattr(cli, "address_problem", lambda address, change: None)  # the port is free
    code, _, err = run_cli("forhaandsvis", "--adresse", "127.0.0.1:8765", cwd=ROOT / "cases")
    (file, args, env, cwd), *_ = became
    assert code == 0 and cwd == ROOT and file == sys.executable
    assert args == [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "--dev-addr", "127.0.0.1:8765"]
    assert env["FRISAETTELSE_PREVIEW"] == "true" and env["SITE_URL"] == "http://127.0.0.1:8765/"
    assert err.startswith("Forhåndsvisning på http://127.0.0.1:8765/ – din historie cases/")


# --- scripts/setup runs pip only when what it installs from has changed -----------------------------------------

OFFLINE = {
    "PIP_INDEX_URL": "http://127.0.0.1:9/",
    "PIP_NO_INDEX": "1",
    "https_proxy": "http://127.0.0.1:9",
    "http_proxy": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
}
STUB_PYTHON = """#!/usr/bin/env bash
# A venv's python that logs every pip call instead of installing; anything else prints a fixed version.
if [ "${1:-}" = "-m" ] && [ "${2:-}" = "pip" ]; then echo "$*" >> "$(dirname "$0")/../pip.log"; exit 0; fi
echo "3.11.2 (stub)"
"""


def setup_run(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "scripts/setup"],
        cwd=project,
        env={**os.environ, **OFFLINE},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_setup_calls_pip_again_only_when_the_dependencies_change(tmp_path: Path) -> None:
    """The script's own logic, against a stub venv: install once, then nothing, then again after a change."""
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "setup").write_bytes((ROOT / "scripts" / "setup").read_bytes())
    for name in ("pyproject.toml", "constraints.txt"):
        (tmp_path / name).write_bytes((ROOT / name).read_bytes())
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(STUB_PYTHON, encoding="utf-8")
    python.chmod(0o755)
    log = tmp_path / ".venv" / "pip.log"

    def pip_calls() -> int:
        return len(log.read_text(encoding="utf-8").splitlines()) if log.exists() else 0

    assert setup_run(tmp_path).returncode == 0
    first = pip_calls()
    assert first >= 1
    for _ in range(2):
        result = setup_run(tmp_path)
        assert result.returncode == 0 and pip_calls() == first, result.stderr
    (tmp_path / "frisaettelse.py").write_text("# the package's code changed: editable, nothing to install\n")
    assert setup_run(tmp_path).returncode == 0 and pip_calls() == first
    with (tmp_path / "constraints.txt").open("a", encoding="utf-8") as constraints:
        constraints.write("new-package==1.0\n")
    assert setup_run(tmp_path).returncode == 0 and pip_calls() > first


def test_second_setup_of_the_real_project_works_offline_and_changes_nothing() -> None:
    """The project's own .venv (set up before the tests ran): the package index is unreachable, and it succeeds."""
    stamp = ROOT / ".venv" / ".installeret"
    assert stamp.is_file(), "kør bash scripts/setup først"
    packages = next((ROOT / ".venv" / "lib").glob("python3*/site-packages"))
    before = stamp.stat().st_mtime_ns, packages.stat().st_mtime_ns
    result = setup_run(ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout == result.stderr == ""
    assert (stamp.stat().st_mtime_ns, packages.stat().st_mtime_ns) == before


# --- nyhedsbrev --format markdown: escaped for Markdown, not for HTML ------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Børnenes 'egen' tid",
        'Fri fra "plejer"',
        "Mindre {{ skema }} og mere tid",
        "Fri fra *alt* – [næsten] #1",
        "Tid & ro <ikke> en regel",
        "Et_ord_med\\streger `kode`",
    ],
)
def test_the_markdown_snippet_reads_back_as_the_title_and_shows_no_character_references(title: str) -> None:
    import html as html_lib

    import markdown
    from helpers import make_story

    from frisaettelse.newsletter import snippet

    story = make_story("historie", title=title, description=title)
    text = snippet(story, "https://eksempel.dk/", "markdown")
    assert not re.search(r"&#x?[0-9a-f]+;|&quot;|&apos;", text, re.IGNORECASE), text
    rendered = markdown.markdown(text)
    link = re.search(r'<a href="([^"]*)">(.*?)</a>', rendered)
    assert link is not None and link.group(1) == "https://eksempel.dk/" + story.url
    assert html_lib.unescape(re.sub(r"<[^>]+>", "", link.group(2))) == title
    assert html_lib.unescape(re.sub(r"<[^>]+>", "", rendered)).endswith(title)
