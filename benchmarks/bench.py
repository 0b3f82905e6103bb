"""Benchmark: our full build against a plain mkdocs-material build of the same Markdown, at N stories.

    python -m benchmarks.bench            # N = 100, 1000, 5000
    python -m benchmarks.bench --quick    # N = 100 only
    python -m benchmarks.bench --skriv docs/om/hastighed.md

Per N: the first build without the card cache (every share card drawn), the first build of the next push with the
cache the workflow restores (1 % of the stories retitled: only their cards drawn), then our build and the plain one interleaved and repeated (median
of each, and their ratio), our peak memory, the output's size, what a reader's browser downloads to show a story
page (Chromium, until the page has loaded and the network is idle), the search index per story, and the time a
contributor waits to see one edited story in the preview. Our copy is a git repository, as in CI, so the dates
"Sidst opdateret" cost what they cost there.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from frisaettelse.load import slugify
from frisaettelse.schema import AREAS, CONSENT, RULE_KINDS

ROOT = Path(__file__).resolve().parents[1]
PRINCIPLES = (
    "kerneopgaven",
    "formaal-og-retning",
    "hverdagsinnovation",
    "frisaettende-ledelse",
    "borgernes-ressourcer",
)
BOUNDARIES = ("retssikkerhed", "politiske-maal", "helhedsloesninger", "kvalitet-og-vaerdi")
_COPY_IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "site",
    "tests",
    "__pycache__",
    "*.egg-info",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".cache",
    "build",
)

# Words from the seed documents, so synthetic text has realistic word lengths and Danish letters.
_WORDS = (
    "frisættelse faglighed kerneopgaven dømmekraft børnegruppen forældre dagtilbud refleksion evaluering "
    "udvikling ressourcer sprogarbejdet fællesskaber kvalitet medarbejdere borgere tillid ansvar ledelse "
    "hverdagen initiativer forebyggende læringsmiljøer overgangen skolen åbningstid aflevering nærvær "
    "samarbejde hierarkiet dagsorden katalysatoren baglandet stemme procedurer dokumentation rutiner"
).split()


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(_WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def synthetic_story(i: int, rng: random.Random) -> tuple[str, str]:
    """A valid, varied story: file name and text. Bodies are 1–3 quotes of 40–140 words, like the seeds."""
    title = f"{_sentence(rng, rng.randint(3, 7))[:-1]} {i}"
    principles = rng.sample(PRINCIPLES, rng.randint(1, 3))
    boundaries = rng.sample(BOUNDARIES, rng.randint(1, 2))
    date = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randint(0, 5 * 365))
    tags = rng.sample(_WORDS, rng.randint(1, 3))
    meta = {
        "title": title,
        "description": _sentence(rng, rng.randint(6, 16)),
        "dato": date,
        "omraade": rng.choice(AREAS),
        "principper": principles,
        "hegnspaele": boundaries,
        "fri_fra": _sentence(rng, rng.randint(3, 8)),
        "fri_fra_type": rng.choice(RULE_KINDS),
        "fri_til": _sentence(rng, rng.randint(4, 10)),
        "citat_rolle": rng.choice(("Pædagog", "Dagtilbudsleder", "Sagsbehandler", "Lærer")) + ", Rebild Kommune",
        "kilde": "indsendt",
        "samtykke": rng.choice(CONSENT),
        "tags": tags,
    }
    quotes = "\n\n".join(f"> “{_sentence(rng, rng.randint(40, 140))}”" for _ in range(rng.randint(1, 3)))
    text = (
        "---\n"
        + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        + "---\n\n"
        + quotes
        + f"\n>\n> — {meta['citat_rolle']}\n"
    )
    return f"{slugify(title)}.md", text


def write_stories(folder: Path, count: int, seed: int = 2027) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for i in range(count):
        name, text = synthetic_story(i, rng)
        (folder / name).write_text(text, encoding="utf-8")


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without executing its tags: `!ENV [X, default]` → default, python names → str."""


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> object:
    if isinstance(node, yaml.SequenceNode):
        values = loader.construct_sequence(node)
        return values[-1] if suffix == "ENV" else values
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_LenientLoader.add_multi_constructor("!", _tag)
_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", _tag)


_GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _commit_all(project: Path) -> None:
    """One commit of everything: the build reads each file's last change from git, as it does in CI."""
    env = {**os.environ, **_GIT_ENV}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "Målingens udgangspunkt"]):
        subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True)


def make_projects(work: Path, count: int) -> tuple[Path, Path]:
    """Our project with N synthetic stories added to cases/ (the real ones stay: pages link to them), and a
    plain mkdocs-material project with the same Markdown."""
    ours = work / "ours"
    shutil.copytree(ROOT, ours, ignore=_COPY_IGNORE)
    write_stories(ours / "cases", count)
    _commit_all(ours)

    plain = work / "plain"
    shutil.copytree(ROOT / "docs", plain / "docs")
    shutil.copytree(ours / "cases", plain / "docs" / "historier", dirs_exist_ok=True)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_LenientLoader)
    theme = {k: v for k, v in config["theme"].items() if k != "custom_dir"}
    extensions = [e for e in config.get("markdown_extensions", []) if not isinstance(e, dict) or "toc" not in e]
    plain_config = {
        "site_name": config["site_name"],
        "site_url": config.get("site_url"),
        "theme": theme,
        "plugins": [{"search": {"lang": "da"}}],
        "markdown_extensions": extensions + ["toc"],
        "nav": config.get("nav"),
        "not_in_nav": "/historier/*.md\n",
    }
    (plain / "mkdocs.yml").write_text(
        yaml.safe_dump(plain_config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return ours, plain


def retitle_stories(ours: Path, plain: Path) -> int:
    """A push's worth of edits: every hundredth story retitled (so its card changes), in both projects."""
    changed = sorted((ours / "cases").glob("*.md"))[::100]
    for story in changed:
        text = story.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Rettet ", 1)
        for path in (story, plain / "docs" / "historier" / story.name):
            path.write_text(text, encoding="utf-8")
    _commit_all(ours)
    return len(changed)


_CHILD = (
    "import atexit, resource, sys\n"
    "out = sys.argv.pop(1)\n"
    "atexit.register(lambda: open(out, 'w').write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)))\n"
    "from mkdocs.__main__ import cli\n"
    "cli()\n"
)


def build(project: Path, out: Path) -> tuple[float, float]:
    """One `mkdocs build`; returns wall seconds and the peak RSS of the build process in MB."""
    rss_file = out.parent / f"{out.name}.rss"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, str(rss_file), "build", "-q", "-d", str(out)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"Bygget fejlede i {project}:\n{result.stderr[-3000:]}")
    return seconds, int(rss_file.read_text()) / 1024


@dataclass(frozen=True)
class Output:
    total_mb: float
    largest_story_kb: float  # the largest story page's HTML
    largest_listing_kb: float  # the largest other page (listings, facet pages, register, …)
    search_index_kb: float


def measure_output(out: Path, story_slugs: set[str]) -> Output:
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    pages = list(out.rglob("index.html"))
    stories = [p for p in pages if p.parent.parent == out / "historier" and p.parent.name in story_slugs]
    others = set(pages) - set(stories)
    search = out / "search" / "search_index.json"
    return Output(
        total / 1e6,
        max((p.stat().st_size for p in stories), default=0) / 1e3,
        max((p.stat().st_size for p in others), default=0) / 1e3,
        search.stat().st_size / 1e3 if search.exists() else 0.0,
    )


def page_download(site_dir: Path, url: str) -> tuple[float, list[tuple[str, int]]]:
    """What a reader's browser downloads to show one page, before the reader does anything: the built site served
    on localhost, the page opened in Debian's Chromium (the tests' flags), every response body summed until the page
    has loaded and the network has been idle for half a second. Returns KB and the requests, largest first."""
    sys.path.insert(0, str(ROOT / "tests"))
    from browser import chromium, serve  # type: ignore[import-not-found]

    received: list[tuple[str, int]] = []
    with serve(site_dir) as base, chromium() as browser:
        context = browser.new_context()
        responses: list[Any] = []
        context.on("response", lambda response: responses.append(response))
        page = context.new_page()
        page.goto(base + url, wait_until="load")
        page.wait_for_load_state("networkidle")
        for response in responses:
            try:
                size = len(response.body())
            except Exception:  # a redirect has no body
                size = 0
            received.append((response.url[len(base) :], size))
        context.close()
    received.sort(key=lambda item: -item[1])
    return sum(size for _, size in received) / 1e3, received


def preview_seconds(project: Path, timeout: float = 300) -> float:
    """Start the contributor preview (`python -m frisaettelse forhaandsvis`), edit one story, and time until
    the served page shows the edit – what the contributor waits for."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "frisaettelse", "forhaandsvis", "--adresse", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    story = sorted((project / "cases").glob("*.md"))[0]
    url = f"http://127.0.0.1:{port}/historier/{slugify(story.stem)}/"

    def fetch() -> str:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    try:
        deadline = time.monotonic() + timeout
        while "Historien" not in fetch():
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("Forhåndsvisningen startede ikke")
            time.sleep(0.5)
        time.sleep(1.5)  # let the watcher settle after the first build
        marker = f"Rettet-{time.time_ns()}"
        text = story.read_text(encoding="utf-8")
        start = time.perf_counter()
        story.write_text(text.rstrip("\n") + f"\n\n{marker}\n", encoding="utf-8")
        while marker not in fetch():
            if time.monotonic() > deadline:
                raise SystemExit("Ændringen nåede aldrig frem i forhåndsvisningen")
            time.sleep(0.05)
        return time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


Row = dict[str, float]


def run(sizes: list[int], repeat: int, *, with_preview: bool = True, with_browser: bool = True) -> list[Row]:
    rows = []
    for count in sizes:
        with tempfile.TemporaryDirectory(prefix=f"bench-{count}-") as tmp:
            work = Path(tmp)
            ours, plain = make_projects(work, count)
            # The first build draws every share card; the next push's first build gets the cache the workflow
            # restores and draws only the changed ones. Both reported on their own, so the timed rounds compare
            # like with like.
            first_s, first_rss = build(ours, work / "out-first")
            retitle_stories(ours, plain)
            cached_s, cached_rss = build(ours, work / "out-first-cached")
            ours_times, plain_times, rss = [], [], [first_rss, cached_rss]
            for round_ in range(repeat):  # interleaved, so machine noise hits both alike
                seconds, peak = build(ours, work / f"out-ours-{round_}")
                ours_times.append(seconds)
                rss.append(peak)
                plain_times.append(build(plain, work / f"out-plain-{round_}")[0])
            slugs = {slugify(p.stem) for p in (ours / "cases").glob("*.md")}
            output = measure_output(work / "out-ours-0", slugs)
            row: Row = {
                "n": count,
                "first_s": first_s,
                "first_cached_s": cached_s,
                "ours_s": statistics.median(ours_times),
                "plain_s": statistics.median(plain_times),
                "peak_rss_mb": max(rss),
                "output_mb": output.total_mb,
                "largest_story_kb": output.largest_story_kb,
                "largest_listing_kb": output.largest_listing_kb,
                "search_index_kb": output.search_index_kb,
                "search_per_story_kb": output.search_index_kb / len(slugs),
            }
            row["ratio"] = row["ours_s"] / row["plain_s"]
            row["first_ratio"] = row["first_s"] / row["plain_s"]
            row["first_cached_ratio"] = row["first_cached_s"] / row["plain_s"]
            if with_browser:
                story = sorted((ours / "cases").glob("*.md"))[0]
                url = f"historier/{slugify(story.stem)}/"
                row["story_download_kb"], received = page_download(work / "out-ours-0", url)
                largest = ", ".join(f"{url} {size / 1e3:.0f} KB" for url, size in received[:4])
                print(f"  N={count}: historiesiden hentede {len(received)} filer, størst: {largest}", flush=True)
            if with_preview:
                row["preview_s"] = preview_seconds(ours)
            rows.append(row)
            print(format_row(row), flush=True)
    return rows


# --- the tables (Danish: they go into docs/om/hastighed.md) ---------------------------------------------------------


def _num(value: float, decimals: int) -> str:
    """Danish number: thousands with '.', decimals with ','."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _cell(row: Row, key: str, decimals: int) -> str:
    return _num(row[key], decimals) if key in row else "–"


BUILD_HEADER = (
    "| historier | første byggetid, alle kort tegnes (s) | første byggetid med kortcache, 1 % af kortene tegnes (s) | "
    "byggetid (s) | byggetid, rent mkdocs-material (s) | forhold | forhold, første byggetid | "
    "forhold, første byggetid med kortcache | maks. hukommelse (MB) | output (MB) |\n"
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
)
READER_HEADER = (
    "| historier | historieside (KB HTML) | største liste (KB HTML) | "
    "hentet for at vise en historie (KB) | søgeindeks pr. historie (KB) | forhåndsvisning (s) |\n"
    "|---:|---:|---:|---:|---:|---:|"
)


def build_row(row: Row) -> str:
    return (
        f"| {_num(row['n'], 0)} | {_cell(row, 'first_s', 1)} | {_cell(row, 'first_cached_s', 1)} | "
        f"{_cell(row, 'ours_s', 1)} | {_cell(row, 'plain_s', 1)} | {_cell(row, 'ratio', 2)} | "
        f"{_cell(row, 'first_ratio', 2)} | {_cell(row, 'first_cached_ratio', 2)} | "
        f"{_cell(row, 'peak_rss_mb', 0)} | {_cell(row, 'output_mb', 1)} |"
    )


def reader_row(row: Row) -> str:
    return (
        f"| {_num(row['n'], 0)} | {_cell(row, 'largest_story_kb', 1)} | {_cell(row, 'largest_listing_kb', 1)} | "
        f"{_cell(row, 'story_download_kb', 0)} | {_cell(row, 'search_per_story_kb', 2)} | "
        f"{_cell(row, 'preview_s', 2)} |"
    )


def format_row(row: Row) -> str:
    """One size's figures on one line, for the terminal while the benchmark runs."""
    reader = reader_row(row)
    return build_row(row) + reader[reader.index("|", 1) + 1 :]


TERMINAL_HEADER = BUILD_HEADER.split("\n")[0] + READER_HEADER.split("\n")[0][len("| historier |") :]


@dataclass(frozen=True)
class Target:
    text: str  # in Danish, as on the page
    check: Callable[[dict[int, Row]], tuple[bool, str] | None]  # None: not measured in this run


def _at(rows: dict[int, Row], n: int, key: str) -> float | None:
    return rows[n][key] if n in rows and key in rows[n] else None


def _ratio_target(key: str, limit: float) -> Callable[[dict[int, Row]], tuple[bool, str] | None]:
    def check(rows: dict[int, Row]) -> tuple[bool, str] | None:
        found = [(n, _at(rows, n, key)) for n in (1000, 5000)]
        measured = [(n, v) for n, v in found if v is not None]
        if not measured:
            return None
        return (
            all(v <= limit for _, v in measured),
            "; ".join(f"{_num(v, 2)} gange ved {_num(n, 0)}" for n, v in measured),
        )

    return check


def _scaling(rows: dict[int, Row]) -> tuple[bool, str] | None:
    small, big = _at(rows, 1000, "ours_s"), _at(rows, 5000, "ours_s")
    if small is None or big is None:
        return None
    return big / small <= 5.0, _num(big / small, 2)


def _max_target(
    key: str, limit: float, unit: str, sizes: tuple[int, ...] = (100, 1000, 5000)
) -> Callable[[dict[int, Row]], tuple[bool, str] | None]:
    def check(rows: dict[int, Row]) -> tuple[bool, str] | None:
        measured = [(n, v) for n in sizes if (v := _at(rows, n, key)) is not None]
        if not measured:
            return None
        return (
            all(v <= limit for _, v in measured),
            "; ".join(f"{_num(v, 2 if v < 10 else 0)} {unit} ved {_num(n, 0)}" for n, v in measured),
        )

    return check


def _same_download(rows: dict[int, Row]) -> tuple[bool, str] | None:
    result = _max_target("story_download_kb", 400, "KB", (1000, 5000))(rows)
    if result is None:
        return None
    values = [v for n in (1000, 5000) if (v := _at(rows, n, "story_download_kb")) is not None]
    return result[0] and max(values) - min(values) <= 0.05 * max(values), result[1]


TARGETS = (
    Target("Byggetiden højst 1,5 gange det rene sites ved 1.000 og 5.000 historier", _ratio_target("ratio", 1.5)),
    Target("Første byggetid, hvor alle kort tegnes, højst 2,5 gange det rene sites", _ratio_target("first_ratio", 2.5)),
    Target(
        "Første byggetid med kortcachen fra sidste udgivelse højst 2,5 gange det rene sites",
        _ratio_target("first_cached_ratio", 2.5),
    ),
    Target("Byggetid ved 5.000 ÷ byggetid ved 1.000 højst 5,0", _scaling),
    Target("Højst 400 MB hukommelse ved 5.000 historier", _max_target("peak_rss_mb", 400, "MB", (5000,))),
    Target(
        "En historieside henter højst 400 KB, før læseren gør noget, og lige meget ved 1.000 og 5.000 historier",
        _same_download,
    ),
    Target(
        "Søgeindekset fylder højst 1,5 KB pr. historie ved 1.000 og 5.000 historier",
        _max_target("search_per_story_kb", 1.5, "KB", (1000, 5000)),
    ),
    Target(
        "En rettet historie vises i forhåndsvisningen inden for 1 sekund ved 5.000 historier",
        _max_target("preview_s", 1.0, "s", (5000,)),
    ),
    Target("Hver historieside højst 60 KB HTML", _max_target("largest_story_kb", 60, "KB")),
    Target("Ingen liste- eller filterside over 200 KB HTML", _max_target("largest_listing_kb", 200, "KB")),
)


def targets_table(rows: list[Row]) -> str:
    by_n = {int(r["n"]): r for r in rows}
    lines = ["| mål | status ved seneste måling |", "|---|---|"]
    for target in TARGETS:
        result = target.check(by_n)
        status = "ikke målt" if result is None else f"{'nået' if result[0] else 'ikke nået'}: {result[1]}"
        lines.append(f"| {target.text} | {status} |")
    return "\n".join(lines)


def machine() -> str:
    """Where the figures come from: cores, memory, processor, Python."""
    model = ""
    try:
        model = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30 if hasattr(os, "sysconf") else 0
    parts = [
        f"{os.cpu_count()} kerner",
        *([model] if model else []),
        f"{_num(memory, 0)} GB hukommelse",
        f"Python {sys.version.split()[0]}",
    ]
    return ", ".join(parts)


TABLE_START, TABLE_END = "<!-- benchmark:start -->", "<!-- benchmark:end -->"


def write_table(page: Path, rows: list[Row], when: dt.date | None = None) -> None:
    """Replace what stands between the markers in a docs page with this run's tables, stamped with date and machine."""
    text = page.read_text(encoding="utf-8")
    start, end = text.index(TABLE_START) + len(TABLE_START), text.index(TABLE_END)
    stamp = f"Målt {(when or dt.date.today()).isoformat()} på en maskine med {machine()}."
    body = "\n\n".join(
        [
            stamp,
            "### Byggetid",
            "\n".join([BUILD_HEADER, *(build_row(r) for r in rows)]),
            "### Læseren og bidragyderen",
            "\n".join([READER_HEADER, *(reader_row(r) for r in rows)]),
            "### Mål",
            targets_table(rows),
        ]
    )
    page.write_text(f"{text[:start]}\n{body}\n{text[end:]}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="Kun 100 historier.")
    parser.add_argument("--sizes", type=int, nargs="+", help="Antal historier (standard: 100 1000 5000).")
    parser.add_argument(
        "--repeat", type=int, default=3, help="Antal gange hvert site bygges (medianen af byggetiderne vises)."
    )
    parser.add_argument("--no-preview", action="store_true", help="Spring målingen af forhåndsvisningen over.")
    parser.add_argument("--no-browser", action="store_true", help="Spring målingen i Chromium over.")
    parser.add_argument("--json", type=Path, help="Gem resultaterne som JSON her.")
    parser.add_argument(
        "--skriv",
        type=Path,
        metavar="SIDE",
        help="Skriv tabellerne i en Markdown-side, fx docs/om/hastighed.md (erstatter dem der står).",
    )
    args = parser.parse_args(argv)
    sizes = args.sizes or ([100] if args.quick else [100, 1000, 5000])
    print(f"Maskine: {machine()}\n")
    print(TERMINAL_HEADER, flush=True)
    rows = run(sizes, args.repeat, with_preview=not args.no_preview, with_browser=not args.no_browser)
    print()
    print(targets_table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    if args.skriv:
        write_table(args.skriv, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
