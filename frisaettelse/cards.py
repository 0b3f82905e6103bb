"""Link-preview card images (1200×630 PNG), drawn offline with Pillow and a font shipped in the package.

Cards are cached by a hash of everything drawn plus RENDERER_VERSION, so unchanged stories are never redrawn; a
cache that holds a file git tracks is not trusted at all (a card comes from a build, never from a commit). The
ones that must be drawn are drawn in parallel on the cores available. A card has four flat colours and anti-aliased
text between them, so it is saved as a palette PNG (about 18 KB instead of 50 KB in full colour).
"""

from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing
import os
import shutil
import subprocess
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFont

RENDERER_VERSION = "2"  # bump when the layout or the file format changes, so every cached card is redrawn
WIDTH, HEIGHT = 1200, 630
FONTS = Path(__file__).parent / "fonts"
GREEN = "#00573f"
GREEN_DARK = "#003d2c"
PALE = "#d9ebe3"
WHITE = "#ffffff"
MARGIN = 80
# Below this many cards to draw, starting worker processes costs more than it saves.
PARALLEL_FROM = 24


@dataclass(frozen=True)
class Card:
    """What a card shows. `kicker` is the small line on top; `chips` and `lines` go at the bottom."""

    kicker: str
    title: str
    chip: str = ""
    lines: tuple[str, ...] = ()

    def key(self) -> str:
        data = json.dumps([RENDERER_VERSION, self.kicker, self.title, self.chip, list(self.lines)], ensure_ascii=False)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()[:32]


@functools.cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size)


# More characters than three lines of the smallest title size can hold: text beyond it is never drawn, so it is
# never measured either (measuring is what made a 30,000-character title take minutes).
MAX_DRAWN_CHARS = 400


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for word in text[:MAX_DRAWN_CHARS].split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _fit(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """One line, shortened with an ellipsis if it is too wide (the longest prefix that fits, by bisection)."""
    text = text[:MAX_DRAWN_CHARS]
    if draw.textlength(text, font=font) <= width:
        return text
    low, high = 0, len(text)  # text[:low] + "…" fits; text[:high] + "…" does not (or high is the whole text)
    while low < high:
        middle = (low + high + 1) // 2
        if draw.textlength(text[:middle] + "…", font=font) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def _title_lines(
    draw: ImageDraw.ImageDraw, title: str, width: int, room: int
) -> tuple[list[str], ImageFont.FreeTypeFont, int]:
    """The largest size at which the title fits the room (at most 3 lines); shortened if it never does."""
    for size in range(68, 38, -4):
        font = _font(size, bold=True)
        step = int(size * 1.22)
        lines = _wrap(draw, title, font, width)
        if len(lines) <= 3 and len(lines) * step <= room:
            return lines, font, step
    keep = max(1, min(3, room // step))
    return lines[: keep - 1] + [_fit(draw, " ".join(lines[keep - 1 :]), font, width)], font, step


def draw_card(card: Card) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), GREEN)
    draw = ImageDraw.Draw(image)
    width = WIDTH - 2 * MARGIN
    draw.rectangle((0, 0, 16, HEIGHT), fill=PALE)
    draw.rectangle((0, HEIGHT - 90, WIDTH, HEIGHT), fill=GREEN_DARK)

    kicker_font = _font(28, bold=True)
    draw.text((MARGIN, 58), _fit(draw, card.kicker.upper(), kicker_font, width), font=kicker_font, fill=PALE)

    # Bottom block first, so the title knows how much room it has.
    line_font = _font(28)
    line_height = 42
    bottom = HEIGHT - 90 - 36
    lines: list[str] = []
    for text in card.lines:  # each line may wrap once
        wrapped = _wrap(draw, text, line_font, width)
        lines += wrapped[:1] + ([_fit(draw, " ".join(wrapped[1:]), line_font, width)] if len(wrapped) > 1 else [])
    block_top = bottom - line_height * len(lines)
    for i, text in enumerate(lines):
        draw.text((MARGIN, block_top + i * line_height), text, font=line_font, fill=WHITE)
    if card.chip:
        chip_font = _font(26, bold=True)
        label = _fit(draw, card.chip, chip_font, width - 40)
        chip_w = int(draw.textlength(label, font=chip_font)) + 40
        chip_top = block_top - 62
        draw.rounded_rectangle((MARGIN, chip_top, MARGIN + chip_w, chip_top + 46), radius=23, fill=WHITE)
        draw.text((MARGIN + 20, chip_top + 23), label, font=chip_font, fill=GREEN, anchor="lm")
        block_top = chip_top

    title_top = 120
    room = block_top - 30 - title_top
    title_lines, font, step = _title_lines(draw, card.title, width, room)
    for i, text in enumerate(title_lines):
        draw.text((MARGIN, title_top + i * step), text, font=font, fill=WHITE)

    footer_font = _font(26, bold=True)
    draw.text((MARGIN, HEIGHT - 45), "Frisættelse i Rebild", font=footer_font, fill=WHITE, anchor="lm")
    small = _font(24)
    draw.text((WIDTH - MARGIN, HEIGHT - 45), "Rebild Kommune", font=small, fill=PALE, anchor="rm")
    return image


@functools.cache
def _palette() -> Image.Image:
    """Every colour a card can hold: 9 steps between each background and each colour drawn on it (text is
    anti-aliased between exactly two colours). The chip's green text on white runs along the green–white ramp."""
    colours: list[tuple[int, ...]] = []
    for background, ink in ((GREEN, WHITE), (GREEN, PALE), (GREEN_DARK, WHITE), (GREEN_DARK, PALE)):
        a, b = ImageColor.getrgb(background), ImageColor.getrgb(ink)
        for step in range(9):
            colour = tuple(round(x + (y - x) * step / 8) for x, y in zip(a, b, strict=True))
            if colour not in colours:
                colours.append(colour)
    palette = Image.new("P", (1, 1))
    palette.putpalette([value for colour in colours for value in colour])
    return palette


def save_card(image: Image.Image, path: Path) -> None:
    """The card as a palette PNG, written whole or not at all (a half-written file never reaches the cache)."""
    partial = path.with_suffix(".tmp")
    # compress_level 9 saves another 2 KB a card at 15 times the time
    image.quantize(palette=_palette(), dither=Image.Dither.NONE).save(partial, format="PNG", compress_level=6)
    partial.replace(path)


def _draw_into(card: Card, cached: Path) -> None:
    save_card(draw_card(card), cached)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _is_cached(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


def came_with_checkout(cache_dir: Path) -> bool:
    """Whether git tracks anything at or under the card cache (or a link on the way to it). Such a file came with
    a commit, not from a build: a card drawn by anyone, or a link to any file. Then no entry is trusted and every
    card is drawn again (overwriting them). Outside a git repository nothing was checked out."""
    folder = cache_dir.absolute()
    root = next((p for p in folder.parents if (p / ".git").exists()), None)
    if root is None:
        return False
    inside = folder.relative_to(root).parts
    if any(root.joinpath(*inside[: n + 1]).is_symlink() for n in range(len(inside))):
        return True
    try:
        tracked = subprocess.run(
            ["git", "--literal-pathspecs", "-C", str(root), "ls-files", "-z", "--", "/".join(inside)],
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return tracked.returncode != 0 or bool(tracked.stdout)


def render_cards(cards: Sequence[tuple[Card, Path]], cache_dir: Path) -> int:
    """Write each card to its path, drawing only the ones the cache lacks – in parallel when there are many.

    Returns how many were drawn.
    """
    keyed = [(card.key(), card, out) for card, out in cards]
    trusted = not came_with_checkout(cache_dir)
    missing = {key: card for key, card, _ in keyed if not (trusted and _is_cached(cache_dir / f"{key}.png"))}
    if missing:
        cache_dir.mkdir(parents=True, exist_ok=True)
    workers = min(_cores(), len(missing) // (PARALLEL_FROM // 2))
    # Workers are forks of this process (no new interpreter to start, nothing to re-import), and only of a process
    # with no other thread: a fork of one with threads (the server in `mkdocs serve`) can inherit a held lock.
    # "spawn" is no way out: it re-runs the main module, which fails for some ways of starting MkDocs.
    if workers > 1 and threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            jobs = [pool.submit(_draw_into, card, cache_dir / f"{key}.png") for key, card in missing.items()]
            for job in jobs:
                job.result()
    else:
        for key, card in missing.items():
            _draw_into(card, cache_dir / f"{key}.png")
    folders: set[Path] = set()
    for key, _, out in keyed:
        if out.parent not in folders:
            out.parent.mkdir(parents=True, exist_ok=True)
            folders.add(out.parent)
        shutil.copyfile(cache_dir / f"{key}.png", out)
    return len(missing)
