"""Command line: `python -m frisaettelse tjek` and friends. Danish throughout, and never a traceback."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from . import addresses
from .cli_support import PROG, Command, DanishArgumentParser, UsageError, project_root
from .contribute_cli import CONTRIBUTE_COMMANDS
from .load import slugify
from .pipeline import build_index
from .port import address_problem
from .problems import DEFAULT_SITE_URL, summary
from .render import count_label


def _site_url() -> str:
    return os.environ.get("SITE_URL") or DEFAULT_SITE_URL


def cmd_check(args: argparse.Namespace) -> int:
    """The build's verdict: the real build runs in this process into a temporary folder (the only code that
    knows MkDocs is the plugin's), and its problems are printed one line each."""
    from .plugin.verdict import check_site  # MkDocs is loaded only for this command

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # the theme's English notice about MkDocs 2
    problems, plugin = check_site(project_root(args))
    for problem in problems:
        line = problem.format_github(_site_url()) if args.format == "github" else problem.format(_site_url())
        print(line)
    if problems:
        count = len(problems)
        print("\n" + summary(count, "fundet", "og kør tjekket igen"), file=sys.stderr)
        return 1
    index = plugin.index
    print(
        f"Alt i orden: {count_label(len(index.stories))}, {len(index.principles)} principper og "
        f"{len(index.boundaries)} hegnspæle.",
        file=sys.stderr,
    )
    return 0


def cmd_newsletter(args: argparse.Namespace) -> int:
    """Print copy-ready snippets of the stories since a date (the same snippets as the "Til kommunikation" page)."""
    from .newsletter import snippets, stories_since

    since = None
    if args.siden is not None:
        try:
            since = dt.date.fromisoformat(args.siden.strip())
        except ValueError:
            print(f"Ugyldig dato '{args.siden}'. Skriv datoen som ÅÅÅÅ-MM-DD, fx --siden 2024-01-01.", file=sys.stderr)
            return 2
    index = build_index(project_root(args))
    stories = stories_since(index, since)
    if not stories:
        print("Ingen historier" + (f" siden {since.isoformat()}." if since else "."), file=sys.stderr)
        return 0
    print(snippets(stories, _site_url(), args.format), end="")
    return 0


def cmd_preview(args: argparse.Namespace) -> int:
    """Fast preview for one contributor: only changed pages are rebuilt, listings and share images are left out.

    The address is tried first: `mkdocs serve` answers a taken port with a long traceback.
    """
    root = project_root(args)
    story = _story_to_show(root, args.historie)
    problem = address_problem(args.adresse, f"{PROG} forhaandsvis --adresse")
    if problem:
        print(problem, file=sys.stderr)
        return 1
    env = {
        **os.environ,
        "FRISAETTELSE_PREVIEW": "true",
        "NO_MKDOCS_2_WARNING": "1",
        "SITE_URL": f"http://{args.adresse}/",
    }
    shown = f" – din historie {story.relative_to(root).as_posix()} er på http://{args.adresse}/" if story else ""
    print(
        f"Forhåndsvisning på http://{args.adresse}/{shown}"
        + (addresses.story_url(slugify(story.stem)) if story else "")
        + " – gem din historie i cases/, og siden opdateres af sig selv. "
        "Oversigter, filtre og delingskort vises kun i det fulde site (bash scripts/serve).",
        file=sys.stderr,
    )
    sys.stderr.flush()
    os.chdir(root)
    os.execvpe(
        sys.executable,
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "--dev-addr", args.adresse],
        env,
    )
    return 0  # not reached: the process is now mkdocs serve


def _story_to_show(root: Path, given: str | None) -> Path | None:
    """The story the contributor is writing: the file given, else the one in cases/ changed last."""
    cases = root / "cases"
    if given is not None:
        path = Path(given).expanduser().resolve()
        if not (path.is_file() and path.suffix == ".md" and path.parent == cases.resolve()):
            raise UsageError(
                f"{given} er ikke en historie i {cases}. Skriv stien til din fil, fx "
                f"{PROG} forhaandsvis cases/min-historie.md."
            )
        return path
    stories = [path for path in cases.glob("*.md") if path.is_file()] if cases.is_dir() else []
    return max(stories, key=lambda path: path.stat().st_mtime, default=None)


def _configure_check(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=("tekst", "github"),
        default="tekst",
        help="'github' skriver fejl som annoteringer i GitHub Actions.",
    )


def _configure_newsletter(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--siden", metavar="ÅÅÅÅ-MM-DD", help="Kun historier med denne dato eller nyere.")
    parser.add_argument(
        "--format",
        choices=("tekst", "markdown", "html"),
        default="tekst",
        help="'tekst' til e-mail, 'markdown' til intranet og GitHub, 'html' til nyhedsbrevsværktøjer.",
    )


def _configure_preview(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "historie", nargs="?", metavar="FIL", help="Din historie, fx cases/min-historie.md (standard: den nyeste)."
    )
    parser.add_argument(
        "--adresse", default="127.0.0.1:8000", metavar="VÆRT:PORT", help="Vært og port (standard 127.0.0.1:8000)."
    )


COMMANDS: tuple[Command, ...] = (
    Command(
        "tjek",
        "Tjek historier og sider, som bygget gør: samme fejl, samme linjer.",
        cmd_check,
        _configure_check,
        aliases=("check",),
    ),
    Command(
        "forhaandsvis", "Hurtig forhåndsvisning af din historie, mens du skriver den.", cmd_preview, _configure_preview
    ),
    Command(
        "nyhedsbrev",
        "Skriv uddrag (titel, resumé og link) af historierne til et nyhedsbrev.",
        cmd_newsletter,
        _configure_newsletter,
        description="Nyeste først; adressen kommer fra miljøvariablen SITE_URL.",
    ),
    *CONTRIBUTE_COMMANDS,
)


def build_parser() -> DanishArgumentParser:
    parser = DanishArgumentParser(
        prog=PROG,
        description="Værktøjer til vidensbasen om frisættelse.",
        epilog=f"Skriv '{PROG} KOMMANDO -h' for at se hjælpen til en kommando.",
    )
    sub = parser.add_subparsers(title="kommandoer", dest="command", required=True, metavar="KOMMANDO")
    for command in COMMANDS:
        child = sub.add_parser(
            command.name,
            aliases=list(command.aliases),
            help=command.help,
            description=" ".join(filter(None, (command.help, command.description))),
        )
        command.configure(child)
        child.add_argument(
            "--projekt",
            dest="root",
            metavar="MAPPE",
            help="Projektets mappe (den med mkdocs.yml). Standard: den mappe, du står i, eller en over den.",
        )
        child.add_argument("--root", dest="root", help=argparse.SUPPRESS)  # its name before the language rule
        child.set_defaults(run=command.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(args)
        sys.stdout.flush()
        return code
    except UsageError as error:
        print(error, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `… | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:  # a contributor must never meet a traceback
        print(
            f"Uventet fejl: {type(error).__name__}: {error}. Skriv til redaktionen via GitHub, og vedlæg denne linje.",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
