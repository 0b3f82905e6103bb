"""mkdocs-macros entry point: only wires the domain package in (see frisaettelse/site.py)."""

from frisaettelse.site import define_macros


def define_env(env) -> None:
    define_macros(env)
