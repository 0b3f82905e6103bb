"""The architecture's rules, enforced: only the plugin knows MkDocs, the domain reads no environment, the address
module agrees with MkDocs' own URL rules, and the site builds the same with properdocs (the escape route)."""

from __future__ import annotations

import ast
import filecmp
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, make_site
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from frisaettelse import addresses

PACKAGE = ROOT / "frisaettelse"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_only_the_plugin_imports_mkdocs() -> None:
    importers = {
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if any(name == "mkdocs" or name.startswith("mkdocs.") for name in _imports(p))
    }
    assert "plugin/plugin.py" in importers and all(path.startswith("plugin/") for path in importers), importers


def test_the_domain_reads_no_environment() -> None:
    """Behaviour is switched by the plugin's options (fed by !ENV in mkdocs.yml), not deep in the code."""
    readers = {
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if "os.environ" in p.read_text(encoding="utf-8") or "getenv" in p.read_text(encoding="utf-8")
    }
    assert readers <= {"cli.py"}  # the command line reads SITE_URL like mkdocs.yml does


# The flow in the order of ARCHITECTURE.md's drawing; a module imports only from its own step or an earlier one.
STEPS: tuple[frozenset[str], ...] = tuple(
    frozenset(step.split())
    for step in (
        "__init__ problems schema sanitize csp history",  # leaves every step may use
        "load addresses",
        "markup privacy validate filecache",
        "model",
        "facets",
        "routes",
        "render overview register coverage guide newsletter cards share export search_index preview links macros scaffold",
        "pipeline",
        "__main__ cli port issue_form plugin plugin.verdict plugin.plugin",
    )
)


def _package_graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports (anywhere in the file: lazy and TYPE_CHECKING imports count)."""
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        name = (
            ".".join(path.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__").replace("__init__", "")
        )
        package = name.rsplit(".", 1)[0].split(".") if "." in name else []
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
                targets = [f"{base}.{a.name}".strip(".") for a in node.names] + [base]
                found |= {t for t in targets if (PACKAGE / (t.replace(".", "/") + ".py")).is_file()}
            elif isinstance(node, ast.Import | ast.ImportFrom):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                found |= {m.removeprefix("frisaettelse.") for m in modules if m.startswith("frisaettelse.")}
        graph[name or "__init__"] = found - {name}
    return graph


def test_every_step_imports_only_itself_and_earlier_steps() -> None:
    step = {module: n for n, modules in enumerate(STEPS) for module in modules}
    graph = _package_graph()
    assert set(graph) == set(step), set(graph) ^ set(step)
    later = sorted((module, used) for module, uses in graph.items() for used in uses if step[used] > step[module])
    assert later == []


def test_no_module_imports_itself_through_others() -> None:
    graph = _package_graph()
    cycles = []
    for start in graph:
        seen, todo = set(), list(graph[start])
        while todo:
            module = todo.pop()
            if module == start:
                cycles.append(start)
                break
            if module not in seen:
                seen.add(module)
                todo += graph[module]
    assert cycles == []


SRCS = [
    "index.md",
    "om/index.md",
    "historier/index.md",
    "historier/x.md",
    "historier/omraade/dagtilbud.md",
    "historier/omraade/dagtilbud/side/2.md",
    "historier/side/3.md",
    "README.md",
    "baggrund/README.md",
    "a b/æble.md",
    "del-din-historie.md",
]


@pytest.mark.parametrize("udu", [True, False])
def test_page_urls_and_links_are_exactly_what_mkdocs_makes(udu: bool) -> None:
    for src in SRCS:
        assert addresses.page_url(src, udu) == File(src, src_dir=None, dest_dir="", use_directory_urls=udu).url
        for other in SRCS:
            ours = addresses.relative_url(addresses.page_url(src, udu), addresses.page_url(other, udu))
            theirs = get_relative_url(File(src, None, "", udu).url, File(other, None, "", udu).url)
            assert ours == theirs, (src, other)


def test_reserved_story_names_come_from_the_generated_addresses() -> None:
    reserved = addresses.reserved_story_slugs(frozenset({"historier/fri-fra.md", "om/index.md"}))
    assert {"index", "side", "emneord", "omraade", "princip", "hegnspael", "regel", "fri-fra"} == set(reserved)


@pytest.mark.langsom
def test_site_builds_the_same_with_properdocs(tmp_path: Path) -> None:
    """MkDocs' future is uncertain: the drop-in fork builds the same site, page for page."""
    site = make_site(tmp_path, keep_cases=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    outputs = {}
    for tool in ("mkdocs", "properdocs"):
        out = tmp_path / tool
        result = subprocess.run(
            [sys.executable, "-m", tool, "build", "--strict", "-f", "mkdocs.yml", "-d", str(out)],
            cwd=site,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        outputs[tool] = out
    pages = {p.relative_to(outputs["mkdocs"]) for p in outputs["mkdocs"].rglob("*.html")}
    assert pages == {p.relative_to(outputs["properdocs"]) for p in outputs["properdocs"].rglob("*.html")}
    assert len(pages) > 50
    differ = []
    for page in sorted(pages):
        if not filecmp.cmp(outputs["mkdocs"] / page, outputs["properdocs"] / page, shallow=False):
            a = (outputs["mkdocs"] / page).read_text(encoding="utf-8").splitlines()
            b = (outputs["properdocs"] / page).read_text(encoding="utf-8").splitlines()
            changed = [(x, y) for x, y in zip(a, b, strict=False) if x != y]
            # Only the generator line and build-time dates may differ.
            if any(
                "generator" not in x and "Sidst opdateret" not in x and "git-revision-date" not in x for x, _ in changed
            ) or len(a) != len(b):
                differ.append(str(page))
    assert differ == []
