"""Browser test helpers: serve a built site on localhost and drive Debian's Chromium with Playwright."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path, prefix: str = "") -> Iterator[str]:
    """Serve a built site on a free localhost port; yields the base URL (ending in '/').

    With `prefix` (e.g. 'frisaettelse/') the site is served under that sub-path, like a GitHub Pages project site.
    """
    root = directory
    if prefix:
        import tempfile

        holder = Path(tempfile.mkdtemp())
        (holder / prefix.strip("/")).symlink_to(directory.resolve(), target_is_directory=True)
        root = holder
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{prefix}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium browser (Debian's, never a downloaded one)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def settle(page: Any) -> None:
    """Wait until no transition or animation has run for three frames: asking applies pending styles, and the
    frames let a transition that a script starts a moment later (the search field's) begin before we measure."""
    page.evaluate("""() => new Promise(done => {
        let quiet = 0;
        const tick = () => {
            quiet = document.getAnimations().some(a => a.playState === 'running') ? 0 : quiet + 1;
            quiet >= 3 ? done() : requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
    })""")
