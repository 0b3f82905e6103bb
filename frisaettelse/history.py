"""Each source file's last commit date from one `git log` for docs/ and cases/: a git call per page would start
thousands of processes ("Sidst opdateret", the sitemap's lastmod)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

# Commit dates anyone can set: outside these a date is a mistake or a prank, and never shown as "Sidst opdateret".
EARLIEST = dt.date(2000, 1, 1)
LATEST_AHEAD = dt.timedelta(days=1)


def last_commit_dates(*folders: Path) -> dict[Path, dt.date]:
    """By absolute path; a file git does not know is absent, and everything when git fails (then no date shows)."""
    existing = [folder.resolve() for folder in folders if folder.is_dir()]
    if not existing:
        return {}
    cwd = Path(os.path.commonpath(existing))
    specs = [folder.relative_to(cwd).as_posix() or "." for folder in existing]
    command = ["git", "-c", "core.quotepath=off", "log", "--format=%x00%as", "--name-only", "--relative", "--", *specs]
    try:
        result = subprocess.run(command, cwd=cwd, capture_output=True, encoding="utf-8", errors="replace", timeout=300)
    except (OSError, subprocess.SubprocessError):
        return {}
    return parse_log(result.stdout, cwd) if result.returncode == 0 else {}


def parse_log(output: str, cwd: Path, today: dt.date | None = None) -> dict[Path, dt.date]:
    """Each file's newest sane date; one that does not read or lies outside EARLIEST … tomorrow counts as none."""
    latest = (today or dt.date.today()) + LATEST_AHEAD
    dates: dict[Path, dt.date] = {}
    day: dt.date | None = None
    for line in output.splitlines():
        if line.startswith("\0"):
            try:
                day = dt.date.fromisoformat(line[1:].strip())
            except ValueError:
                day = None
            day = day if day is not None and EARLIEST <= day <= latest else None
        elif line.strip() and day is not None:
            dates.setdefault(cwd / line.strip(), day)  # newest commit first: keep the first
    return dates
