"""mkdocs-macros entry point: only wires the package's macros in (see frisaettelse/macros.py)."""

from frisaettelse.macros import define_env as define_env
