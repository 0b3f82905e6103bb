"""Sharing and linking, asserted on the real built site: previews, cards, feed, sitemap, permalinks, 404,
redirects from former URLs, the record of published URLs, the newsletter kit and an offline build."""

from __future__ import annotations

import html as html_lib
import ipaddress
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn
from unittest import mock

import feedparser
import pytest
from helpers import (
    FIXTURES,
    ROOT,
    article,
    changed,
    make_site,
    mkdocs_build,
    parse_html,
    real_index,
    run_cli,
    tiny_project,
    visible_text,
    write_files,
)
from PIL import Image, ImageChops, ImageDraw

from frisaettelse import addresses, cards, pipeline, routes, share
from frisaettelse.model import SiteInfo
from frisaettelse.newsletter import snippet
from frisaettelse.pipeline import build_index
from frisaettelse.problems import DEFAULT_SITE_URL
from frisaettelse.render import danish_date

SITE_URL = DEFAULT_SITE_URL
RENAMED = "forsoeg-med-aabningstid"


def html_pages(site: Path) -> list[Path]:
    """Every page of the built site (not the search index or theme assets)."""
    return sorted(p for p in site.rglob("index.html") if p.relative_to(site).parts[0] not in ("assets", "search"))


def url_of(site: Path, index_html: Path) -> str:
    relative = index_html.parent.relative_to(site).as_posix()
    return "/" if relative == "." else f"/{relative}/"


def is_redirect(html: str) -> bool:
    return 'http-equiv="refresh"' in html


def head_links(tags: list[tuple[str, dict[str, str]]], rel: str) -> list[dict[str, str]]:
    return [attrs for tag, attrs in tags if tag == "link" and attrs.get("rel") == rel]


# --- Link previews --------------------------------------------------------------------------------------------


def test_every_page_has_complete_link_preview_tags(built_site: Path) -> None:
    pages = [p for p in html_pages(built_site) if not is_redirect(p.read_text(encoding="utf-8"))]
    assert len(pages) >= len(real_index().stories) + 10
    for path in pages:
        html = path.read_text(encoding="utf-8")
        parsed = parse_html(html)
        meta = parsed.meta
        url = url_of(built_site, path)
        story = (
            real_index().stories.get(url.split("/")[2])
            if url.startswith("/historier/") and url.count("/") == 3
            else None
        )
        absolute = SITE_URL + url.lstrip("/")
        assert meta["og:url"] == absolute, url
        canonical = head_links(parsed.tags, "canonical")
        assert [c["href"] for c in canonical] == [absolute], url  # once, from the theme
        assert meta["og:title"].strip() and meta["og:description"].strip(), url
        assert meta["og:type"] == ("article" if story else "website"), url
        assert meta["og:locale"] == "da_DK" and meta["og:site_name"] == "Frisættelse i Rebild"
        assert meta["twitter:card"] == "summary_large_image"
        image = meta["og:image"]
        assert image.startswith(SITE_URL) and image.endswith(".png"), url
        assert (built_site / image[len(SITE_URL) :]).is_file(), image
        if story:
            assert meta["og:title"] == story.title and meta["og:description"] == story.description
            assert image == f"{SITE_URL}kort/{story.slug}.png"
        feeds = [a for a in head_links(parsed.tags, "alternate") if a.get("type") == "application/rss+xml"]
        assert len(feeds) == 1, url
        assert (path.parent / feeds[0]["href"]).resolve() == (built_site / "feed.xml").resolve(), url
    home = parse_html((built_site / "index.html").read_text(encoding="utf-8")).meta
    assert home["og:title"] == "Frisættelse i Rebild"


def test_every_story_has_a_1200_by_630_card_and_other_pages_a_generic_one(built_site: Path) -> None:
    for name in [*real_index().stories, "frisaettelse-i-rebild"]:
        with Image.open(built_site / "kort" / f"{name}.png") as image:
            assert image.format == "PNG" and image.size == (1200, 630), name
    a, b = (Image.open(built_site / "kort" / f"{s}.png").convert("RGB") for s in list(real_index().stories)[:2])
    assert ImageChops.difference(a, b).getbbox() is not None  # each card shows its own story


def test_card_font_draws_danish_letters() -> None:
    """Each of æ, ø, å, Æ, Ø, Å is a real glyph, not the same 'missing' box, and differs from a/o."""
    font = cards._font(64, bold=True)

    def glyph(char: str) -> bytes:
        image = Image.new("L", (80, 90))
        ImageDraw.Draw(image).text((5, 5), char, font=font, fill=255)
        return image.tobytes()

    shapes = {char: glyph(char) for char in "æøåÆØÅaoA\U0010fffd"}
    danish = [shapes[c] for c in "æøåÆØÅ"]
    assert len(set(danish)) == 6
    assert not set(danish) & {shapes["a"], shapes["o"], shapes["A"], shapes["\U0010fffd"]}


def test_a_cached_card_is_used_only_for_the_same_text_and_drawing(tmp_path: Path, monkeypatch) -> None:
    card = cards.Card("Historie fra praksis", "Fri fra skemaet", "Skole", ("Princip: Fokusér på kerneopgaven",))
    cache = tmp_path / "cache"
    assert cards.render_cards([(card, tmp_path / "a.png")], cache) == 1
    assert cards.render_cards([(card, tmp_path / "b.png")], cache) == 0
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    changed = cards.Card(card.kicker, "Fri fra skemaet – igen", card.chip, card.lines)
    assert cards.render_cards([(changed, tmp_path / "c.png"), (card, tmp_path / "d.png")], cache) == 1
    assert cards.render_cards([(changed, tmp_path / "c.png")], cache) == 0
    assert [p.stem for p in cache.glob("*.png")] == [changed.key()]  # what no card uses is not kept
    monkeypatch.setattr(cards, "drawing_version", lambda: "other fonts or code")
    assert cards.render_cards([(changed, tmp_path / "c.png")], cache) == 1


# --- Feed and sitemap -----------------------------------------------------------------------------------------


def test_feed_is_valid_rss_with_the_stories_newest_first(built_site: Path) -> None:
    feed = feedparser.parse((built_site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert feed.feed.language == "da"
    assert feed.feed.link == SITE_URL
    newest = real_index().newest()
    assert [e.link for e in feed.entries] == [SITE_URL + s.url for s in newest]
    assert [e.title for e in feed.entries] == [s.title for s in newest]
    assert [e.summary for e in feed.entries] == [s.description for s in newest]
    dates = [e.published_parsed[:3] for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == newest[0].date.timetuple()[:3]


def test_the_feed_holds_only_the_newest_stories(tmp_path: Path) -> None:
    """What a subscriber's reader fetches on every poll does not grow with the site: the newest FEED_STORIES."""
    site = SiteInfo(SITE_URL, "Frisættelse i Rebild", "")
    with mock.patch.object(share, "FEED_STORIES", 2):
        share.publish(real_index(), [], site=site, site_dir=tmp_path, cards=cards.Drawing([], tmp_path / "kort"))
    feed = feedparser.parse((tmp_path / "feed.xml").read_bytes())
    assert not feed.bozo and [e.link for e in feed.entries] == [SITE_URL + s.url for s in real_index().newest(2)]


def test_sitemap_dates_story_pages_by_their_last_change(built_site: Path) -> None:
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    entries = dict(re.findall(r"<loc>([^<]+)</loc>\s*<lastmod>([^<]+)</lastmod>", sitemap))
    for story in real_index().stories.values():
        assert entries[SITE_URL + story.url] == real_index().last_updated(story).isoformat()
        page = (built_site / story.url / "index.html").read_text(encoding="utf-8")
        assert f"Sidst opdateret: {danish_date(real_index().last_updated(story))}" in page
    assert len(entries) == len([p for p in html_pages(built_site) if not is_redirect(p.read_text("utf-8"))])


# --- Permalinks and 404 ---------------------------------------------------------------------------------------


def test_every_heading_has_a_permalink(built_site: Path) -> None:
    checked = 0
    for path in html_pages(built_site):
        html = path.read_text(encoding="utf-8")
        if is_redirect(html):
            continue
        for _level, heading_id, inner in re.findall(r'<h([2-6]) id="([^"]+)"[^>]*>(.*?)</h\1>', article(html), re.S):
            assert f'<a class="headerlink" href="#{heading_id}" title="Link til dette afsnit">' in inner, (
                path,
                heading_id,
            )
            checked += 1
    assert checked > 30


def test_404_page_is_danish_and_helpful(built_site: Path) -> None:
    html = (built_site / "404.html").read_text(encoding="utf-8")
    text = visible_text(article(html))
    assert "Siden findes ikke" in text and "søgefeltet" in text
    links = parse_html(article(html)).links
    assert "/frisaettelse/" in links and "/frisaettelse/historier/" in links  # absolute: works at any depth
    assert "Not found" not in html and "<title>Siden findes ikke - Frisættelse i Rebild</title>" in html


# --- URLs that never break ------------------------------------------------------------------------------------


def renamed_site(tmp_path: Path, *, with_redirect: bool) -> Path:
    """A copy of the project with its record of published URLs, where one story has been renamed.

    Pages in docs/ link that story by its old id ({{ historie('aendret-aabningstid') }}): the macro follows
    the rename through `tidligere_adresser`, or fails the build when the redirect is missing."""
    site = make_site(tmp_path, keep_cases=True)
    shutil.copy(ROOT / addresses.RECORD_NAME, site / addresses.RECORD_NAME)
    old = site / "cases" / "aendret-aabningstid.md"
    text = old.read_text(encoding="utf-8")
    if with_redirect:
        text = text.replace("\ntags:", "\ntidligere_adresser: [historier/aendret-aabningstid/]\ntags:", 1)
    (site / "cases" / f"{RENAMED}.md").write_text(text, encoding="utf-8")
    old.unlink()
    return site


def recorded(path: Path) -> list[str]:
    return [url for _, url in routes.read_record_lines(path)]


def test_every_recorded_url_is_live_on_the_site(built_site: Path) -> None:
    record = recorded(ROOT / addresses.RECORD_NAME)
    assert record == sorted(record) and len(record) == len(set(record))
    assert "/historier/aendret-aabningstid/" in record
    assert set(record) <= {url_of(built_site, p) for p in html_pages(built_site)}


def test_vanished_url_without_redirect_fails_the_build_in_danish(tmp_path: Path) -> None:
    site = renamed_site(tmp_path, with_redirect=False)
    docs_page = site / "docs" / "erfaringer" / "eksempler-fra-praksis.md"
    docs_page.write_text(
        docs_page.read_text(encoding="utf-8").replace("historie('aendret-aabningstid')", f"historie('{RENAMED}')"),
        encoding="utf-8",
    )
    record = routes.read_record_lines(site / addresses.RECORD_NAME)
    line = next(n for n, url in record if url == "/historier/aendret-aabningstid/")
    result = mkdocs_build(site, tmp_path / "out")
    assert result.returncode != 0
    output = result.stderr + result.stdout
    assert (
        f"publicerede-adresser.txt:{line}: FM030 Adressen {SITE_URL}historier/aendret-aabningstid/ er udgivet "
        "før, men findes ikke længere, og der er ingen omdirigering."
    ) in output
    assert "tidligere_adresser: [historier/aendret-aabningstid/]" in output
    code, out, _ = run_cli("check", cwd=site)
    assert code == 1 and f"publicerede-adresser.txt:{line}: FM030" in out


@contextmanager
def network_blocked(log: Path) -> Iterator[None]:
    """Every connection to another host and every name look-up fails, in this process and those it forks, and is
    noted in `log`: what the build would fetch from the network."""
    real_connect, real_connect_ex, real_getaddrinfo = (
        socket.socket.connect,
        socket.socket.connect_ex,
        socket.getaddrinfo,
    )

    def local(address: object) -> bool:
        if not isinstance(address, tuple):
            return True  # a Unix socket
        try:
            return ipaddress.ip_address(address[0]).is_loopback
        except ValueError:
            return address[0] in (None, "localhost")

    def blocked(what: object) -> NoReturn:
        with log.open("a", encoding="utf-8") as file:
            file.write(f"{what!r}\n")
        raise OSError(f"network blocked by the offline test: {what!r}")

    def connect(sock: socket.socket, address: Any) -> None:
        return real_connect(sock, address) if local(address) else blocked(address)

    def connect_ex(sock: socket.socket, address: Any) -> int:
        return real_connect_ex(sock, address) if local(address) else blocked(address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        return real_getaddrinfo(host, *args, **kwargs) if local((host,)) else blocked(host)

    with (
        mock.patch.object(socket.socket, "connect", connect),
        mock.patch.object(socket.socket, "connect_ex", connect_ex),
        mock.patch.object(socket, "getaddrinfo", getaddrinfo),
    ):
        yield


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The renamed project through three builds: a deploy build with the network blocked, a draft build with a new
    story, and the deploy build that publishes it. What each build wrote to the record, and its log."""
    tmp_path = tmp_path_factory.mktemp("published")
    log = tmp_path / "network.log"
    site, out, deploy = renamed_site(tmp_path, with_redirect=True), tmp_path / "out", {"RECORD_PUBLISHED_URLS": "1"}
    with network_blocked(log):
        with pytest.raises(OSError, match="network blocked by the offline test"):
            socket.create_connection(("1.1.1.1", 443), 2)
        log.unlink()
        first = mkdocs_build(site, out, extra_env=deploy)  # every card drawn, nothing fetched
    assert first.returncode == 0, first.stderr[-3000:]
    assert not log.exists(), log.read_text(encoding="utf-8")
    result: dict[str, Any] = {"out": out, "first": recorded(site / addresses.RECORD_NAME)}
    result["offline"] = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    result["redirect"] = (out / "historier" / "aendret-aabningstid" / "index.html").read_text(encoding="utf-8")
    shutil.copy(FIXTURES / "valid" / "cases" / "fri-fra-skemaet.md", site / "cases")
    result["draft"] = mkdocs_build(site, out)  # a local or pull-request build publishes nothing
    result["draft_record"] = recorded(site / addresses.RECORD_NAME)
    result["deploy"] = mkdocs_build(site, out, extra_env=deploy)
    result["deploy_record"] = recorded(site / addresses.RECORD_NAME)
    return result


def test_build_works_with_the_network_blocked(published: dict[str, Any]) -> None:
    assert {f"kort/{RENAMED}.png", "feed.xml", f"historier/{RENAMED}/index.html"} <= published["offline"]


def test_renamed_story_is_reached_from_its_old_url(published: dict[str, Any]) -> None:
    html = published["redirect"]
    refresh = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', html)
    assert refresh and refresh.group(1) == f"../{RENAMED}/"
    assert f'<link rel="canonical" href="{SITE_URL}historier/{RENAMED}/">' in html
    target = published["out"] / "historier" / RENAMED / "index.html"
    assert "<h1" in target.read_text(encoding="utf-8") and "Forsøg med ændret åbningstid" in target.read_text("utf-8")
    record = published["first"]  # the new URL joined the record by itself
    assert f"/historier/{RENAMED}/" in record and "/historier/aendret-aabningstid/" in record


def test_new_page_joins_the_record_without_anyone_editing_it(published: dict[str, Any]) -> None:
    draft, deploy = published["draft"], published["deploy"]
    assert draft.returncode == 0, draft.stderr[-3000:]
    assert published["draft_record"] == published["first"]
    assert "Tegnede 1 delingskort" in draft.stderr  # only the new story's card: the rest come from the cache
    assert deploy.returncode == 0 and "Tegnede" not in deploy.stderr  # every card from the cache
    assert set(published["deploy_record"]) == set(published["first"]) | {"/historier/fri-fra-skemaet/"}


def test_former_url_may_not_shadow_a_live_page(tmp_path: Path) -> None:
    story = changed("\ndato:", "\ntidligere_adresser: [historier/fri-fra-laereplanen/]\ndato:")
    site = tiny_project(tmp_path)
    for real in (ROOT / "cases").glob("*.md"):
        shutil.copy(real, site / "cases")
    write_files(site / "cases", {"fri-fra-skemaet.md": story})
    problems = [p for p in pipeline.run(build_index(site), site_url=SITE_URL).problems if p.code == "FM021"]
    assert [(p.path, p.line) for p in problems] == [("cases/fri-fra-skemaet.md", 4)]
    assert "historier/fri-fra-laereplanen/" in problems[0].message


@pytest.mark.parametrize(
    "value",
    [
        "https://rebild-kommune.github.io/frisaettelse/historier/x/",
        "historier/x",
        "historier/Æble/",
        "../historier/x/",
        "historier//x/",
    ],
)
def test_badly_written_former_url_is_reported_with_line_and_example(tmp_path: Path, value: str) -> None:
    site = make_site(tmp_path, "valid", keep_cases=True)  # docs pages link the real stories by macro
    story = site / "cases" / "fri-fra-skemaet.md"
    lines = story.read_text(encoding="utf-8").split("\n")
    lines.insert(2, f'tidligere_adresser: ["{value}"]')
    story.write_text("\n".join(lines), encoding="utf-8")
    problems = build_index(site).problems
    assert [(p.code, p.line) for p in problems] == [("FM021", 3)]
    assert "historier/gammelt-navn/" in problems[0].format()


# --- Newsletter kit -------------------------------------------------------------------------------------------


def test_communication_page_lists_every_story_newest_first_with_the_shared_snippet(built_site: Path) -> None:
    html = (built_site / "om" / "kommunikation" / "index.html").read_text(encoding="utf-8")
    body = article(html)
    shown = re.findall(r'<pre class="uddrag__tekst" id="uddrag-tekst-([^"]+)">(.*?)</pre>', body, re.S)
    newest = real_index().newest()
    assert [slug for slug, _ in shown] == [s.slug for s in newest]
    for (_, text), story in zip(shown, newest, strict=False):
        assert html_lib.unescape(text) == snippet(story, SITE_URL, "tekst")
    buttons = [a for tag, a in parse_html(body).tags if tag == "button"]
    assert len(buttons) == len(newest) and all(b.get("type") == "button" for b in buttons)
    assert body.count('role="status"') == len(newest)
    assert "../../feed/" in parse_html(body).links  # the feed's own page, which explains it and gives the address
    assert "assets/kopier.js" in html


def test_newsletter_command_prints_the_same_snippets_since_a_date() -> None:
    code, out, err = run_cli("nyhedsbrev", "--siden", "2023-12-19", "--format", "tekst", cwd=ROOT)
    assert code == 0, err
    assert out == "\n\n".join(snippet(s, SITE_URL, "tekst") for s in real_index().newest()) + "\n"
    for fmt in ("markdown", "html"):
        output = run_cli("nyhedsbrev", "--format", fmt, cwd=ROOT)[1]
        assert output.split("\n\n")[0] == snippet(real_index().newest()[0], SITE_URL, fmt)
    assert 'href="' + SITE_URL + "historier/" in run_cli("nyhedsbrev", "--format", "html", cwd=ROOT)[1]
    code, out, err = run_cli("nyhedsbrev", "--siden", "2023-12-20", cwd=ROOT)
    assert code == 0 and out == "" and "Ingen historier siden 2023-12-20." in err


def test_newsletter_command_rejects_a_bad_date_in_danish() -> None:
    code, _, err = run_cli("nyhedsbrev", "--siden", "19-12-2023", cwd=ROOT)
    assert code == 2
    assert "Ugyldig dato '19-12-2023'. Skriv datoen som ÅÅÅÅ-MM-DD" in err
    assert "Kun historier med denne dato eller nyere." in run_cli("nyhedsbrev", "--help", cwd=ROOT)[1]


# --- Cards ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("committed", ["card", "link to a file", "linked folder"])
def test_a_card_comes_from_the_build_never_from_a_committed_file(tmp_path: Path, committed: str) -> None:
    card = cards.Card("Historie fra praksis", "Fri fra skemaet", "Skole", ())
    repo = tmp_path / "repo"
    cache = repo / ".cache" / "kort"
    cache.parent.mkdir(parents=True)
    fake = Image.new("RGB", (cards.WIDTH, cards.HEIGHT), "red")
    if committed == "linked folder":
        (repo / "billeder").mkdir()
        fake.save(repo / "billeder" / f"{card.key()}.png")
        cache.symlink_to(repo / "billeder")
    else:
        cache.mkdir()
        if committed == "card":
            fake.save(cache / f"{card.key()}.png")
        else:
            (repo / "hemmelig.txt").write_text("hemmelig", encoding="utf-8")
            (cache / f"{card.key()}.png").symlink_to(repo / "hemmelig.txt")
    git = ["git", "-C", str(repo), "-c", "user.name=x", "-c", "user.email=x@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A", "-f"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "x"], check=True)

    out = tmp_path / "kort.png"
    assert cards.render_cards([(card, out)], cache) == 1
    assert b"hemmelig" not in out.read_bytes()
    assert ImageChops.difference(Image.open(out).convert("RGB"), fake).getbbox() is not None
    assert Image.open(out).convert("RGB").getpixel((5, 5)) != (255, 0, 0)
