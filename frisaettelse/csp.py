"""A Content-Security-Policy for every page: the browser runs only the site's own scripts and loads nothing from
another host, so markup that slipped past everything else still cannot act.

The theme writes a few small inline scripts. Each is allowed by the sha256 hash of its text, computed from the
written page; and only a script that the templates the site renders its pages with contain is hashed: an inline script from anywhere
else (a page's content, a value printed unescaped) gets no hash, is blocked by the browser and is a problem (FM066)
that fails the build.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.meta

from .sanitize import html_attribute

# Everything from the site itself, nothing from anywhere else. data: images are the theme's icons in its CSS.
BASE_POLICY: tuple[tuple[str, str], ...] = (
    ("default-src", "'none'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("worker-src", "'self'"),
    ("manifest-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)
# Every page of the site renders with main.html (content cannot choose another: the plugin drops `template` from
# page.meta), the error page with 404.html. Redirect pages are ours (routes.redirect_html): no template, no script.
PAGE_TEMPLATES = ("main.html", "404.html")
# A redirect page (routes.redirect_html) runs nothing and loads nothing.
REDIRECT_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'"

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_JS_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript", "application/ecmascript"}
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_HEAD = re.compile(r"<meta charset=[\"']?utf-8[\"']?\s*/?>", re.IGNORECASE)


@dataclass(frozen=True)
class InlineScript:
    text: str
    executable: bool


def inline_scripts(page_html: str) -> list[InlineScript]:
    """Every `<script>` without `src` in a page, with whether a browser runs it (JSON data blocks it does not)."""
    found = []
    for match in _SCRIPT.finditer(page_html):
        attributes = {
            m.group(1).lower(): next((g for g in m.groups()[1:] if g is not None), "")
            for m in _ATTRIBUTE.finditer(match.group(1))
        }
        if "src" in attributes:
            continue
        kind = attributes.get("type", "").strip().lower()
        found.append(InlineScript(match.group(2), kind in _JS_TYPES))
    return found


def script_hash(text: str) -> str:
    """The CSP source expression for one inline script: its exact text, UTF-8, sha256, base64."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _templates_rendered(template_dirs: Iterable[str | Path], pages: Iterable[str]) -> Iterator[str]:
    """The source of every template a page of this site can render with: the page templates and what they extend,
    include or import. A template the site never renders a page with (the theme's redirect.html) is not among them,
    so its script is allowed nowhere."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]))
    todo, seen = list(pages), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            source = env.loader.get_source(env, name)[0] if env.loader else ""
            todo += [found for found in jinja2.meta.find_referenced_templates(env.parse(source)) if found]
        except (jinja2.TemplateError, OSError, UnicodeDecodeError):
            continue
        yield source


def template_patterns(
    template_dirs: Iterable[str | Path], pages: Iterable[str] = PAGE_TEMPLATES
) -> list[re.Pattern[str]]:
    """One pattern per inline script written in the templates the site's pages render with (`pages` and what they
    use); a Jinja expression in it may become any text without quotes or markup (in the theme they are URLs such as
    `../..`)."""
    patterns: dict[str, re.Pattern[str]] = {}
    for source in _templates_rendered(template_dirs, pages):
        for script in inline_scripts(source):
            if not script.executable:
                continue
            parts = _JINJA.split(script.text)
            expression = r"[^\"'<>\\`]*".join(re.escape(part) for part in parts)
            patterns.setdefault(expression, re.compile(expression, re.DOTALL))
    return list(patterns.values())


def policy(hashes: Iterable[str]) -> str:
    directives = []
    for name, sources in BASE_POLICY:
        if name == "script-src":
            sources = " ".join([sources, *sorted(set(hashes))])
        directives.append(f"{name} {sources}")
    return "; ".join(directives)


def with_policy(page_html: str, patterns: list[re.Pattern[str]]) -> tuple[str, list[str]]:
    """The page with its policy as the first element of `<head>`, and the inline scripts that no template wrote
    (returned, not allowed: the browser will block them)."""
    hashes, unknown = [], []
    for script in inline_scripts(page_html):
        if not script.executable:
            continue
        if any(pattern.fullmatch(script.text) for pattern in patterns):
            hashes.append(script_hash(script.text))
        else:
            unknown.append(script.text)
    tag = f'<meta http-equiv="Content-Security-Policy" content="{html_attribute(policy(hashes))}">'
    match = _HEAD.search(page_html)
    if match:
        return page_html[: match.end()] + tag + page_html[match.end() :], unknown
    head = re.search(r"<head\b[^>]*>", page_html, re.IGNORECASE)
    at = head.end() if head else 0
    return page_html[:at] + tag + page_html[at:], unknown
