"""Benchmark: our full build against a plain mkdocs-material build of the same Markdown, at N stories.

    python -m benchmarks.bench            # N = 100, 1000, 5000
    python -m benchmarks.bench --quick    # N = 100 only

Both builds run in the same session, interleaved and repeated; the table reports the median of each, their
ratio, our peak memory, output sizes and the time a contributor waits to see one edited story in `mkdocs serve`.
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
from pathlib import Path

import yaml

from frisaettelse.load import slugify
from frisaettelse.schema import AREAS, CONSENT, RULE_KINDS

ROOT = Path(__file__).resolve().parents[1]
PRINCIPLES = ("kerneopgaven", "formaal-og-retning", "hverdagsinnovation", "frisaettende-ledelse",
              "borgernes-ressourcer")
BOUNDARIES = ("retssikkerhed", "politiske-maal", "helhedsloesninger", "kvalitet-og-vaerdi")
_COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "site", "tests", "__pycache__", "*.egg-info",
                                      ".pytest_cache", ".cache", "build")

# Words from the seed documents, so synthetic text has realistic word lengths and Danish letters.
_WORDS = ("frisættelse faglighed kerneopgaven dømmekraft børnegruppen forældre dagtilbud refleksion evaluering "
          "udvikling ressourcer sprogarbejdet fællesskaber kvalitet medarbejdere borgere tillid ansvar ledelse "
          "hverdagen initiativer forebyggende læringsmiljøer overgangen skolen åbningstid aflevering nærvær "
          "samarbejde hierarkiet dagsorden katalysatoren baglandet stemme procedurer dokumentation rutiner").split()


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
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n" + quotes + \
        f"\n>\n> — {meta['citat_rolle']}\n"
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


def make_projects(work: Path, count: int) -> tuple[Path, Path]:
    """Our project with N synthetic stories added to cases/ (the real ones stay: pages link to them), and a
    plain mkdocs-material project with the same Markdown."""
    ours = work / "ours"
    shutil.copytree(ROOT, ours, ignore=_COPY_IGNORE)
    write_stories(ours / "cases", count)

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
    (plain / "mkdocs.yml").write_text(yaml.safe_dump(plain_config, allow_unicode=True, sort_keys=False),
                                      encoding="utf-8")
    return ours, plain


_CHILD = ("import atexit, resource, sys\n"
          "out = sys.argv.pop(1)\n"
          "atexit.register(lambda: open(out, 'w').write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)))\n"
          "from mkdocs.__main__ import cli\n"
          "cli()\n")


def build(project: Path, out: Path) -> tuple[float, float]:
    """One `mkdocs build`; returns wall seconds and the peak RSS of the build process in MB."""
    rss_file = out.parent / f"{out.name}.rss"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _CHILD, str(rss_file), "build", "-q", "-d", str(out)],
                            cwd=project, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"Bygget fejlede i {project}:\n{result.stderr[-3000:]}")
    return seconds, int(rss_file.read_text()) / 1024


def measure_output(out: Path, story_slugs: set[str]) -> tuple[float, float, float, float]:
    """Total size, the largest story page, the largest other page (listings, facets, register…), search index."""
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    pages = list(out.rglob("index.html"))
    stories = [p for p in pages if p.parent.parent == out / "historier" and p.parent.name in story_slugs]
    others = set(pages) - set(stories)
    search = out / "search" / "search_index.json"
    return (total / 1e6, max((p.stat().st_size for p in stories), default=0) / 1e3,
            max((p.stat().st_size for p in others), default=0) / 1e3,
            search.stat().st_size / 1e3 if search.exists() else 0.0)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def preview_seconds(project: Path, timeout: float = 300) -> float:
    """Start the contributor preview (`python -m frisaettelse forhaandsvis`), edit one story, and time until
    the served page shows the edit – what the contributor waits for."""
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "frisaettelse", "forhaandsvis", "--adresse", f"127.0.0.1:{port}"],
                              cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
                raise SystemExit("mkdocs serve startede ikke")
            time.sleep(0.5)
        time.sleep(1.5)  # let the watcher settle after the first build
        marker = f"Rettet-{time.time_ns()}"
        text = story.read_text(encoding="utf-8")
        start = time.perf_counter()
        story.write_text(text.rstrip("\n") + f"\n\n{marker}\n", encoding="utf-8")
        while marker not in fetch():
            if time.monotonic() > deadline:
                raise SystemExit("Ændringen nåede aldrig frem i mkdocs serve")
            time.sleep(0.05)
        return time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)


def run(sizes: list[int], repeat: int, with_preview: bool) -> list[dict[str, float]]:
    rows = []
    for count in sizes:
        with tempfile.TemporaryDirectory(prefix=f"bench-{count}-") as tmp:
            work = Path(tmp)
            ours, plain = make_projects(work, count)
            # The first build draws every share card (cached afterwards, and kept between deploys by the workflow's
            # cache): reported on its own, so the timed rounds compare like with like.
            first_s, _ = build(ours, work / "out-first")
            ours_times, plain_times, rss = [], [], []
            for round_ in range(repeat):  # interleaved, so machine noise hits both alike
                seconds, peak = build(ours, work / f"out-ours-{round_}")
                ours_times.append(seconds)
                rss.append(peak)
                plain_times.append(build(plain, work / f"out-plain-{round_}")[0])
            slugs = {slugify(p.stem) for p in (ours / "cases").glob("*.md")}
            output, story_kb, listing_kb, search_kb = measure_output(work / "out-ours-0", slugs)
            row = {
                "n": count,
                "first_s": first_s,
                "ours_s": statistics.median(ours_times),
                "plain_s": statistics.median(plain_times),
                "peak_rss_mb": max(rss),
                "output_mb": output,
                "largest_story_kb": story_kb,
                "largest_listing_kb": listing_kb,
                "search_index_kb": search_kb,
            }
            row["ratio"] = row["ours_s"] / row["plain_s"]
            if with_preview:
                row["preview_s"] = preview_seconds(ours)
            rows.append(row)
            print(format_row(row), flush=True)
    return rows


HEADER = ("| N | første byggetid, nye kort (s) | byggetid (s) | byggetid, rent mkdocs-material (s) | forhold | "
          "maks. hukommelse (MB) | output (MB) | "
          "største historie (KB) | største liste (KB) | søgeindeks (KB) | forhåndsvisning (s) |\n"
          "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")


def format_row(row: dict[str, float]) -> str:
    preview = f"{row['preview_s']:.2f}" if "preview_s" in row else "–"
    return (f"| {row['n']:.0f} | {row['first_s']:.2f} | {row['ours_s']:.2f} | {row['plain_s']:.2f} | {row['ratio']:.2f} | "
            f"{row['peak_rss_mb']:.0f} | {row['output_mb']:.1f} | {row['largest_story_kb']:.1f} | "
            f"{row['largest_listing_kb']:.1f} | {row['search_index_kb']:.0f} | {preview} |")


TABLE_START, TABLE_END = "<!-- benchmark:start -->", "<!-- benchmark:end -->"


def write_table(page: Path, rows: list[dict[str, float]]) -> None:
    """Replace the table between the markers in a docs page with this run's, stamped with date and machine."""
    text = page.read_text(encoding="utf-8")
    start, end = text.index(TABLE_START) + len(TABLE_START), text.index(TABLE_END)
    by_n = {int(r["n"]): r for r in rows}
    scaling = (f"\n\nSkalering, tid ved 5.000 ÷ tid ved 1.000: {by_n[5000]['ours_s'] / by_n[1000]['ours_s']:.2f}."
               if 1000 in by_n and 5000 in by_n else "")
    table = "\n".join([HEADER, *(format_row(r) for r in rows)])
    stamp = (f"Kørt {dt.date.today().isoformat()} på en maskine med {os.cpu_count()} kerner, "
             f"Python {sys.version.split()[0]}.")
    page.write_text(f"{text[:start]}\n{stamp}\n\n{table}{scaling}\n{text[end:]}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="Kun N = 100.")
    parser.add_argument("--sizes", type=int, nargs="+", help="Antal historier (standard: 100 1000 5000).")
    parser.add_argument("--repeat", type=int, default=3, help="Gentagelser pr. build (median rapporteres).")
    parser.add_argument("--no-preview", action="store_true", help="Spring målingen af forhåndsvisning over.")
    parser.add_argument("--json", type=Path, help="Gem resultaterne som JSON her.")
    parser.add_argument("--skriv", type=Path, metavar="SIDE",
                        help="Skriv tabellen i en Markdown-side, fx docs/om/hastighed.md (erstatter tabellen der).")
    args = parser.parse_args(argv)
    sizes = args.sizes or ([100] if args.quick else [100, 1000, 5000])
    print(f"Maskine: {os.cpu_count()} kerner, Python {sys.version.split()[0]}\n")
    print(HEADER, flush=True)
    rows = run(sizes, args.repeat, with_preview=not args.no_preview)
    if len(rows) > 1:
        by_n = {int(r["n"]): r for r in rows}
        if 1000 in by_n and 5000 in by_n:
            print(f"\nSkalering 5000/1000: {by_n[5000]['ours_s'] / by_n[1000]['ours_s']:.2f} (mål ≤ 5,5)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    if args.skriv:
        write_table(args.skriv, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
