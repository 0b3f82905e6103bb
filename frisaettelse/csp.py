"""A Content-Security-Policy for every page: only the site's own scripts run, nothing loads from another host.
An inline script is allowed (by hash) only if a template the site renders pages with wrote it (else FM066)."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

import jinja2
import jinja2.meta

from .sanitize import html_text

# Everything from the site itself, nothing from anywhere else. data: images are the theme's icons in its CSS.
_POLICY = (
    "default-src 'none'; script-src 'self'{hashes}; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'"
)
# Every page renders with main.html (the plugin drops `template` from page.meta), the error page with 404.html.
PAGE_TEMPLATES = ("main.html", "404.html")
# A redirect page (render.redirect_html, templates/redirect_page.html) runs nothing and loads nothing.
REDIRECT_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'"

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_JS_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript", "application/ecmascript"}
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_CHARSET = re.compile(r"<meta charset=[\"']?utf-8[\"']?\s*/?>", re.I)
_HEAD = re.compile(r"<head\b[^>]*>", re.I)


def inline_scripts(page_html: str) -> list[str]:
    """The text of every inline script a browser runs (not JSON data blocks)."""
    found = []
    for match in _SCRIPT.finditer(page_html):
        attributes = {m[1].lower(): m[2] or m[3] or m[4] or "" for m in _ATTRIBUTE.finditer(match[1])}
        if "src" not in attributes and attributes.get("type", "").strip().lower() in _JS_TYPES:
            found.append(match[2])
    return found


def template_patterns(template_dirs: Iterable[str | Path]) -> list[re.Pattern[str]]:
    """A pattern per inline script in PAGE_TEMPLATES and the templates they use (not the theme's redirect.html); a Jinja
    expression in it may become any text without quotes or markup (in the theme they are URLs such as `../..`)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]))
    todo, seen, patterns = list(PAGE_TEMPLATES), set[str](), dict[str, re.Pattern[str]]()
    while todo:
        if (name := todo.pop()) in seen:
            continue
        seen.add(name)
        try:
            source = env.loader.get_source(env, name)[0] if env.loader else ""
            todo += [found for found in jinja2.meta.find_referenced_templates(env.parse(source)) if found]
        except (jinja2.TemplateError, OSError, UnicodeDecodeError):
            continue
        for script in inline_scripts(source):
            expression = r"[^\"'<>\\`]*".join(re.escape(part) for part in _JINJA.split(script))
            patterns.setdefault(expression, re.compile(expression, re.DOTALL))
    return list(patterns.values())


def with_policy(page_html: str, patterns: list[re.Pattern[str]]) -> tuple[str, list[str]]:
    """The page with its policy first in `<head>`, and the inline scripts no template wrote (the browser blocks them)."""
    scripts = inline_scripts(page_html)
    unknown = [text for text in scripts if not any(pattern.fullmatch(text) for pattern in patterns)]
    digests = {base64.b64encode(hashlib.sha256(t.encode()).digest()).decode() for t in scripts if t not in unknown}
    hashes = "".join(f" 'sha256-{digest}'" for digest in sorted(digests))
    tag = f'<meta http-equiv="Content-Security-Policy" content="{html_text(_POLICY.format(hashes=hashes))}">'
    head = _CHARSET.search(page_html) or _HEAD.search(page_html)  # the policy must come before any script
    at = head.end() if head else 0
    return page_html[:at] + tag + page_html[at:], unknown
