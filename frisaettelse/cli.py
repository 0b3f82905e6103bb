"""Command line: `python -m frisaettelse check` and friends. Never shows a traceback to a contributor."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path

from . import pipeline
from .contribute_cli import CONTRIBUTE_COMMANDS, add_contribute_parsers
from .index import build_index
from .problems import DEFAULT_SITE_URL


def _site_url() -> str:
    return os.environ.get("SITE_URL") or DEFAULT_SITE_URL


def cmd_check(args: argparse.Namespace) -> int:
    """Validate all front-matter without building; one line per problem."""
    model = pipeline.run(Path(args.root), site_url=_site_url())
    index = model.index
    for problem in model.problems:
        line = problem.format_github(_site_url()) if args.format == "github" else problem.format(_site_url())
        print(line)
    if model.problems:
        count = len(model.problems)
        print(f"\n{count} problem{'er' if count != 1 else ''} fundet. Ret dem og kør tjekket igen.", file=sys.stderr)
        return 1
    print(f"Alt i orden: {len(index.stories)} historier, {len(index.principles)} principper og "
          f"{len(index.boundaries)} hegnspæle.", file=sys.stderr)
    return 0


def cmd_newsletter(args: argparse.Namespace) -> int:
    """Print copy-ready snippets of the stories since a date (the same snippets as the "Til kommunikation" page)."""
    from .newsletter import snippets, stories_since

    since = None
    if args.siden is not None:
        try:
            since = dt.date.fromisoformat(args.siden.strip())
        except ValueError:
            print(f"Ugyldig dato '{args.siden}'. Skriv datoen som ÅÅÅÅ-MM-DD, fx --siden 2024-01-01.",
                  file=sys.stderr)
            return 2
    index = build_index(Path(args.root))
    stories = stories_since(index, since)
    if not stories:
        print("Ingen historier" + (f" siden {since.isoformat()}." if since else "."), file=sys.stderr)
        return 0
    print(snippets(stories, _site_url(), args.format), end="")
    return 0


def cmd_preview(args: argparse.Namespace) -> int:
    """Fast preview for one contributor: only changed pages are rebuilt, listings and share images are left out."""
    env = {**os.environ, "FRISAETTELSE_PREVIEW": "true", "NO_MKDOCS_2_WARNING": "1", "SITE_URL": f"http://{args.adresse}/"}
    print(f"Forhåndsvisning på http://{args.adresse}/ – gem din historie i cases/, og siden opdateres af sig selv. "
          "Oversigter, filtre og delingskort vises kun i det fulde site (bash scripts/serve).", file=sys.stderr)
    os.chdir(args.root)
    os.execvpe(sys.executable, [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict",
                                "--dev-addr", args.adresse], env)
    return 0  # not reached: the process is now mkdocs serve


COMMANDS: dict[str, tuple[Callable[[argparse.Namespace], int], str]] = {
    "check": (cmd_check, "Tjek alle historiers front-matter uden at bygge sitet."),
    "nyhedsbrev": (cmd_newsletter, "Skriv uddrag (titel, resumé og link) af historierne til et nyhedsbrev."),
    "forhaandsvis": (cmd_preview, "Hurtig forhåndsvisning af din historie, mens du skriver den."),
    **CONTRIBUTE_COMMANDS,
}


class _DanishHelp(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, prefix="Brug: ")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="frisaettelse", description="Værktøjer til vidensbasen om frisættelse.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="kommando")
    preview = sub.add_parser("forhaandsvis", help=COMMANDS["forhaandsvis"][1])
    preview.add_argument("--adresse", default="127.0.0.1:8000", help="Vært og port (standard 127.0.0.1:8000).")
    preview.add_argument("--root", default=".", help="Projektets rodmappe (med mkdocs.yml).")
    check = sub.add_parser("check", help=COMMANDS["check"][1])
    check.add_argument("--root", default=".", help="Projektets rodmappe (med docs/ og cases/).")
    check.add_argument("--format", choices=("tekst", "github"), default="tekst",
                       help="'github' skriver fejl som annoteringer i GitHub Actions.")
    news = sub.add_parser("nyhedsbrev", help=COMMANDS["nyhedsbrev"][1], add_help=False,
                          description=COMMANDS["nyhedsbrev"][1] + " Nyeste først; adressen kommer fra SITE_URL.",
                          formatter_class=_DanishHelp)
    news._optionals.title = "valgmuligheder"
    news.add_argument("-h", "--help", action="help", help="Vis denne hjælp.")
    news.add_argument("--siden", metavar="ÅÅÅÅ-MM-DD", help="Kun historier med denne dato eller nyere.")
    news.add_argument("--format", choices=("tekst", "markdown", "html"), default="tekst",
                      help="'tekst' til e-mail, 'markdown' til intranet og GitHub, 'html' til nyhedsbrevsværktøjer.")
    news.add_argument("--root", default=".", help="Projektets rodmappe (med docs/ og cases/).")
    add_contribute_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command][0](args)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a contributor must never meet a traceback
        print(f"Uventet fejl: {type(error).__name__}: {error}. Skriv til redaktionen via GitHub, "
              f"og vedlæg denne linje.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
