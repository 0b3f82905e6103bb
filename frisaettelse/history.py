"""When each source file last changed, from git: one `git log` for every page of docs/ and every story in cases/.

"Sidst opdateret" on a page and a story's `lastmod` in the sitemap come from here. Asking git once per file (as
mkdocs-git-revision-date-localized does) starts a process per page: thousands of them at thousands of stories.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path


def last_commit_dates(*folders: Path) -> dict[Path, dt.date]:
    """The date of the last commit that touched each file in `folders`, from one `git log` for all of them.

    Keys are absolute paths under the resolved folders. A file git does not know (not committed, or a copy outside
    git) is absent, and so is everything when git fails: the page then shows no date (never the build date).
    """
    existing = [folder.resolve() for folder in folders if folder.is_dir()]
    if not existing:
        return {}
    cwd = Path(os.path.commonpath(existing))
    pathspecs = [folder.relative_to(cwd).as_posix() or "." for folder in existing]
    try:
        result = subprocess.run(
            [
                "git",
                "-c",
                "core.quotepath=off",
                "log",
                "--format=%x00%as",
                "--name-only",
                "--relative",
                "--",
                *pathspecs,
            ],
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=300,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if result.returncode != 0:
        return {}
    return parse_log(result.stdout, cwd)


# Commit dates anyone can set: outside these a date is a mistake or a prank, and never shown as "Sidst opdateret".
EARLIEST = dt.date(2000, 1, 1)
LATEST_AHEAD = dt.timedelta(days=1)


def parse_log(output: str, cwd: Path, today: dt.date | None = None) -> dict[Path, dt.date]:
    """`git log --format=%x00%as --name-only` output as each file's newest sane commit date. A date that does not
    read (year 10000) or lies outside EARLIEST … today + a day counts as no date: an older commit's is used."""
    latest = (today or dt.date.today()) + LATEST_AHEAD
    dates: dict[Path, dt.date] = {}
    day: dt.date | None = None
    for line in output.splitlines():
        if line.startswith("\0"):
            try:
                day = dt.date.fromisoformat(line[1:].strip())
            except ValueError:
                day = None
            if day is not None and not EARLIEST <= day <= latest:
                day = None
        elif line.strip() and day is not None:
            dates.setdefault(cwd / line.strip(), day)  # newest commit first: keep the first
    return dates


class History:
    """Last-change dates for a build, read from git on first use (a build that never asks pays nothing)."""

    def __init__(self, *folders: Path) -> None:
        self.folders = tuple(folders)
        self._dates: dict[Path, dt.date] | None = None

    def last_changed(self, path: Path) -> dt.date | None:
        """The file's last commit; None for a file git does not know (not committed, or a copy outside git)."""
        if self._dates is None:
            self._dates = last_commit_dates(*self.folders)
        return self._dates.get(path)
