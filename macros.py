"""mkdocs-macros entry point: only wires the domain package in (see frisaettelse/site.py)."""

from frisaettelse.guide import define_guide_macros
from frisaettelse.site import define_macros


def define_env(env) -> None:
    define_macros(env)
    define_guide_macros(env)
