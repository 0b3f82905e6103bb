from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import CHROMIUM, chromium, serve
from helpers import ROOT, mkdocs_build


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per test run with `mkdocs build --strict`."""
    out = tmp_path_factory.mktemp("site") / "site"
    result = mkdocs_build(ROOT, out)
    assert result.returncode == 0, result.stderr[-4000:]
    return out


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile stories built with validation off (test_hostile_output.py), once per test process."""
    from test_hostile_output import build_hostile_site

    return build_hostile_site(tmp_path_factory)


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The real built site, served on localhost."""
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run the tests with 'bash scripts/test' (CI=true installs it)")
    with chromium() as instance:
        yield instance
