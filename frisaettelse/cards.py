"""Share cards (1200×630 palette PNG), drawn offline; cached under the hash of all that draws them, so a cache kept
between builds is only ever used for the same card, and one that git tracks is not trusted."""

from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import json
import multiprocessing
import os
import shutil
import subprocess
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import PIL
from PIL import Image, ImageColor, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
FONTS = Path(__file__).parent / "fonts"
GREEN, GREEN_DARK, PALE, WHITE = "#00573f", "#003d2c", "#d9ebe3", "#ffffff"
MARGIN = 80
PARALLEL_FROM = 24  # below this many cards to draw, starting worker processes costs more than it saves
MAX_DRAWN_CHARS = 400  # more than three lines of the smallest title hold: longer text is never measured


@functools.cache
def drawing_version() -> str:
    digest = hashlib.sha256(Path(__file__).read_bytes() + PIL.__version__.encode())
    for font in sorted(FONTS.glob("*.ttf")):
        digest.update(font.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Card:
    kicker: str
    title: str
    chip: str = ""
    lines: tuple[str, ...] = ()

    def key(self) -> str:
        data = json.dumps([drawing_version(), self.kicker, self.title, self.chip, self.lines], ensure_ascii=False)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()[:32]


@functools.cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """FreeType's own layout (kerning, no shaping): Raqm's shaping took a fifth of a card's drawing, and DejaVu's
    Latin text needs none."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), size, layout_engine=ImageFont.Layout.BASIC)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for word in text[:MAX_DRAWN_CHARS].split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _fit(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: float) -> str:
    """One line, shortened by bisection with an ellipsis if it is too wide."""
    text = text[:MAX_DRAWN_CHARS]
    if draw.textlength(text, font=font) <= width:
        return text
    keep = bisect.bisect(range(len(text) + 1), width, lo=1, key=lambda n: draw.textlength(text[:n] + "…", font=font))
    return text[: keep - 1].rstrip() + "…"


# The palette, drawn in directly: for each background, its ramp to PALE below it and to WHITE above it, 8 steps each.
# A letter's anti-aliased edge blends the two indices it lies between as it would blend the colours, so the card
# is drawn as the palette image it is saved as (no full-colour image, no quantizing).
_BACKGROUNDS, _STEPS = (GREEN, GREEN_DARK), 8


def _ink(colour: str, on: str = GREEN) -> int:
    """`colour`'s index for drawing on the background `on` (whose own index is the middle of its ramps)."""
    return _BACKGROUNDS.index(on) * (2 * _STEPS + 1) + {PALE: 0, on: _STEPS, WHITE: 2 * _STEPS}[colour]


@functools.cache
def _palette() -> list[int]:
    """Per background: PALE … the background (index 8) … WHITE, each step an eighth of the way."""
    ramps = [(PALE, _STEPS - k) for k in range(_STEPS)] + [(WHITE, k) for k in range(_STEPS + 1)]
    return [
        round(x + (y - x) * step / _STEPS)
        for background in _BACKGROUNDS
        for ink, step in ramps
        for x, y in zip(ImageColor.getrgb(background), ImageColor.getrgb(ink), strict=True)
    ]


@functools.cache
def _background(palette: bool) -> Image.Image:
    """What every card has: drawn once per process, copied for each card."""
    ink = _ink if palette else lambda colour, on=GREEN: colour
    image = Image.new("P" if palette else "RGB", (WIDTH, HEIGHT), ink(GREEN))
    if palette:
        image.putpalette(_palette())
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 16, HEIGHT), fill=ink(PALE))
    draw.rectangle((0, HEIGHT - 90, WIDTH, HEIGHT), fill=ink(GREEN_DARK, GREEN_DARK))
    draw.fontmode = "L"  # anti-aliased in the palette image too
    dark_white, dark_pale = ink(WHITE, GREEN_DARK), ink(PALE, GREEN_DARK)
    draw.text((MARGIN, HEIGHT - 45), "Frisættelse i Rebild", font=_font(26, True), fill=dark_white, anchor="lm")
    draw.text((WIDTH - MARGIN, HEIGHT - 45), "Rebild Kommune", font=_font(24), fill=dark_pale, anchor="rm")
    return image


def draw_card(card: Card, palette: bool = True) -> Image.Image:
    """The card as the palette image it is saved as; in full colour for comparison (`palette=False`)."""
    ink = _ink if palette else lambda colour, on=GREEN: colour
    image = _background(palette).copy()
    draw = ImageDraw.Draw(image)
    draw.fontmode = "L"
    width, text_font, chip_font = WIDTH - 2 * MARGIN, _font(28), _font(26, True)
    kicker = _fit(draw, card.kicker.upper(), _font(28, True), width)
    draw.text((MARGIN, 58), kicker, font=_font(28, True), fill=ink(PALE))
    lines: list[str] = []  # the bottom block first, so the title knows its room; each line may wrap once
    for text in card.lines:
        wrapped = _wrap(draw, text, text_font, width)
        lines += wrapped[:1] + ([_fit(draw, " ".join(wrapped[1:]), text_font, width)] if len(wrapped) > 1 else [])
    block_top = HEIGHT - 126 - 42 * len(lines)
    for i, text in enumerate(lines):
        draw.text((MARGIN, block_top + i * 42), text, font=text_font, fill=ink(WHITE))
    if card.chip:  # green on white: the ramp from white down to green is the green background's ramp to white
        label = _fit(draw, card.chip, chip_font, width - 40)
        chip_w, block_top = int(draw.textlength(label, font=chip_font)) + 40, block_top - 62
        draw.rounded_rectangle((MARGIN, block_top, MARGIN + chip_w, block_top + 46), radius=23, fill=ink(WHITE))
        draw.text((MARGIN + 20, block_top + 23), label, font=chip_font, fill=ink(GREEN), anchor="lm")
    for size in range(68, 38, -4):  # the largest size at which the title fits its room in at most 3 lines
        font, step = _font(size, bold=True), int(size * 1.22)
        title_lines = _wrap(draw, card.title, font, width)
        if len(title_lines) <= 3 and len(title_lines) * step <= block_top - 150:
            break
    else:  # shortened if it never does
        keep = max(1, min(3, (block_top - 150) // step))
        title_lines = title_lines[: keep - 1] + [_fit(draw, " ".join(title_lines[keep - 1 :]), font, width)]
    for i, text in enumerate(title_lines):
        draw.text((MARGIN, 120 + i * step), text, font=font, fill=ink(WHITE))
    return image


def _draw_into(card: Card, path: Path) -> None:
    """Written whole or not at all, so a half-written file never reaches the cache. zlib level 5: a millisecond a
    card less than 6, and ≈ 15 KB a card, still less than the 16 KB of the full-colour drawing quantized at 6."""
    partial = path.with_suffix(".tmp")
    draw_card(card).save(partial, "PNG", compress_level=5)
    partial.replace(path)


def _place(drawn: Path, out: Path) -> None:
    """A second name for the cached card (no data written: copying 5,000 cards took seconds of a build); a copy
    where the file system cannot link. Nothing writes into a card once drawn, so the two names never differ; the
    publishing workflow's upload-pages-artifact packs the site with `tar --hard-dereference`, as Pages requires."""
    out.unlink(missing_ok=True)
    try:
        os.link(drawn, out)
    except OSError:
        shutil.copyfile(drawn, out)


def came_with_checkout(cache_dir: Path) -> bool:
    """Whether git tracks anything at or under the cache, or a link leads to it: then no entry is trusted."""
    folder = cache_dir.absolute()
    root = next((p for p in folder.parents if (p / ".git").exists()), None)
    if root is None:
        return False
    inside = folder.relative_to(root).parts
    if any(root.joinpath(*inside[: n + 1]).is_symlink() for n in range(len(inside))):
        return True
    git = ["git", "--literal-pathspecs", "-C", str(root), "ls-files", "-z", "--", "/".join(inside)]
    try:
        tracked = subprocess.run(git, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return tracked.returncode != 0 or bool(tracked.stdout)


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Drawing:
    """The site's cards, drawn from the moment the build knows them (the plugin's on_config) by worker processes on
    the cores the page build leaves idle; `finish` draws what is left in the build's own process and copies each card
    to its page. The workers are forked with the list and share only the index of the next card to draw, so the busy
    build process hands out no work (a pool's feeder thread waits on its lock, and the workers on it)."""

    def __init__(self, cards: Sequence[tuple[Card, Path]], cache_dir: Path) -> None:
        self.cards, self.cache_dir, self.trusted = cards, cache_dir, not came_with_checkout(cache_dir)
        self.paths = {card: cache_dir / f"{card.key()}.png" for card, _ in cards}
        self.missing = [
            (c, p) for c, p in self.paths.items() if not (self.trusted and p.is_file() and not p.is_symlink())
        ]
        cache_dir.mkdir(parents=True, exist_ok=True)
        count = min(_cores() - 1, len(self.missing) // PARALLEL_FROM)  # the build's own process takes a core
        self.workers: list[multiprocessing.process.BaseProcess] = []
        self.in_process = itertools.count()  # the next card's index when no worker was started
        # Forks only of a process with no other thread (the server in `mkdocs serve`): a fork can inherit a held lock.
        if count > 0 and threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
            fork = multiprocessing.get_context("fork")
            self.next = fork.Value("q", 0)
            self.workers = [fork.Process(target=self._draw_rest, daemon=True) for _ in range(count)]
            for worker in self.workers:
                worker.start()

    def _take(self) -> int:
        if not self.workers:
            return next(self.in_process)
        with self.next.get_lock():
            self.next.value += 1
            return int(self.next.value) - 1

    def _draw_rest(self) -> None:
        while (i := self._take()) < len(self.missing):
            _draw_into(*self.missing[i])

    def finish(self) -> int:
        """Each card at its path, the cache pruned to what is used (if trusted); how many were drawn."""
        self._draw_rest()
        for worker in self.workers:
            worker.join()
        if any(worker.exitcode for worker in self.workers):  # one died mid-card: drawn here, where an error is read
            for card, path in self.missing:
                _draw_into(card, path)
        for folder in {out.parent for _, out in self.cards}:
            folder.mkdir(parents=True, exist_ok=True)
        for card, out in self.cards:
            _place(self.paths[card], out)
        if self.trusted:
            for stale in set(self.cache_dir.glob("*.png")) - set(self.paths.values()):
                stale.unlink(missing_ok=True)
        return len(self.missing)

    def cancel(self) -> None:
        """The build failed: each worker stops after its card (those drawn stay in the cache)."""
        if self.workers:
            with self.next.get_lock():
                self.next.value = len(self.missing)
            for worker in self.workers:
                worker.join()


def render_cards(cards: Sequence[tuple[Card, Path]], cache_dir: Path) -> int:
    """Each card to its path, drawing only what the cache lacks; a trusted cache keeps only what is used. How many
    were drawn."""
    return Drawing(cards, cache_dir).finish()
