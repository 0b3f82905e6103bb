from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from browser import CHROMIUM, chromium, serve
from helpers import ROOT, VALID_STORY, make_site, mkdocs_build

# The heaviest files first, each file on one worker (`--dist loadfile` in scripts/test), so the two workers finish
# together and a file's own builds are made once; files that share a build of their own share a worker too.
HEAVY_FIRST = (
    "test_look_browser.py",
    "test_browse_browser.py",
    "test_bench.py",
    "test_hostile_browser.py",
    "test_share.py",
    "test_contribute.py",
    "test_preview.py",
    "test_search_browser.py",
    "test_hostile_output.py",
    "test_agreement.py",
    "test_cli.py",
    "test_architecture.py",
)
SAME_WORKER = {
    "test_browse_build.py": "copy_site",
    "test_honesty.py": "copy_site",
    "test_look.py": "copy_site",
    "test_hostile_output.py": "hostile_site",
    "test_hostile_browser.py": "hostile_site",
}


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook: absent with -p no:xdist
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """`--dist loadfile`, with the files of SAME_WORKER on one worker."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class LoadFileGroups(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            name = nodeid.split("::", 1)[0].rsplit("/", 1)[-1]
            return SAME_WORKER.get(name, name)

    return LoadFileGroups(config, log)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(HEAVY_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per test run with `mkdocs build --strict`."""
    out = tmp_path_factory.mktemp("site") / "site"
    result = mkdocs_build(ROOT, out)
    assert result.returncode == 0, result.stderr[-4000:]
    return out


@pytest.fixture(scope="session")
def copy_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, CompletedProcess[str]]:
    """A copy of the project outside git, as tests and downloads get it, built once per test process: the real
    stories, the valid one, one linked by its teller and one by the editors, one per kind of working link; the
    editors' address in mkdocs.yml and REPO_URL set. (project, built site, the build's result)."""
    from test_links import add_link_stories

    tmp = tmp_path_factory.mktemp("copy")
    site = make_site(tmp, "linked_by_teller", keep_cases=True, stories={"fri-fra-skemaet.md": VALID_STORY})
    add_link_stories(site, broken=False)
    config = site / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace('kontakt: ""', 'kontakt: "redaktion@eksempel.dk"'), "utf-8")
    result = mkdocs_build(site, tmp / "out", extra_env={"REPO_URL": "https://github.com/eksempel/frisaettelse"})
    assert result.returncode == 0, result.stderr[-3000:]
    return site, tmp / "out", result


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
