"""The index: reverse maps, ordering and related stories, on constructed stories (no files needed)."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from pathlib import Path

from helpers import ROOT, make_story

from frisaettelse.model import SiteIndex, Story
from frisaettelse.pipeline import build_index


def story(
    slug: str,
    *,
    principles: tuple[str, ...] = ("kerneopgaven",),
    boundaries: tuple[str, ...] = ("retssikkerhed",),
    area: str = "skole",
    date: dt.date = dt.date(2024, 1, 1),
) -> Story:
    return make_story(slug, principles=tuple(principles), boundaries=tuple(boundaries), area=area, date=date)


def index_of(*stories: Story) -> SiteIndex:
    index = SiteIndex(root=Path("/x"), stories={s.slug: s for s in stories})
    index._link_reverse_maps()
    return index


def brute_force_related(index: SiteIndex, target: Story, limit: int = 3) -> list[Story]:
    """The definition, written the slow way, to check the signature-grouped implementation against."""

    def score(other: Story) -> int:
        return (
            2 * len(set(other.principles) & set(target.principles))
            + len(set(other.boundaries) & set(target.boundaries))
            + (2 if other.area == target.area else 0)
        )

    others = [o for o in index.stories.values() if o.slug != target.slug and score(o) > 0]
    others.sort(key=lambda o: (-score(o), -o.date.toordinal(), o.title, o.slug))
    return others[:limit]


def test_related_prefers_shared_principles_then_area_and_excludes_itself() -> None:
    a = story("a", principles=("kerneopgaven", "hverdagsinnovation"))
    b = story("b", principles=("kerneopgaven", "hverdagsinnovation"), area="social")
    c = story("c", principles=("frisaettende-ledelse",), boundaries=("politiske-maal",), area="skole")
    d = story("d", principles=("borgernes-ressourcer",), boundaries=("kvalitet-og-vaerdi",), area="ældre")
    index = index_of(a, b, c, d)
    assert [s.slug for s in index.related(a)] == ["b", "c"]
    assert index.related(d) == []


def test_related_matches_its_definition_on_random_stories() -> None:
    rng = random.Random(7)
    principles = ("kerneopgaven", "formaal-og-retning", "hverdagsinnovation", "frisaettende-ledelse")
    stories = [
        story(
            f"s{i}",
            principles=rng.sample(principles, rng.randint(1, 2)),
            boundaries=rng.sample(("retssikkerhed", "politiske-maal"), 1),
            area=rng.choice(("skole", "social", "ældre")),
            date=dt.date(2022, 1, 1) + dt.timedelta(days=rng.randint(0, 60)),
        )
        for i in range(120)
    ]
    index = index_of(*stories)
    for target in stories:
        assert index.related(target) == brute_force_related(index, target)


def test_newest_first_is_deterministic() -> None:
    older = story("older", date=dt.date(2023, 1, 1))
    tie_b, tie_a = story("b", date=dt.date(2024, 1, 1)), story("a", date=dt.date(2024, 1, 1))
    for order in itertools.permutations([older, tie_b, tie_a]):
        assert [s.slug for s in index_of(*order).newest()] == ["a", "b", "older"]


def test_stories_for_concept_uses_front_matter() -> None:
    index = build_index(ROOT)
    for slug in ("aendret-aabningstid", "foraeldreinvolvering-nye-organiseringer"):
        assert index.stories[slug] in index.stories_for("princip", "borgernes-ressourcer")
    assert all("borgernes-ressourcer" in s.principles for s in index.stories_for("princip", "borgernes-ressourcer"))
