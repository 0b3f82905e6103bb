"""The MkDocs plugin: the only part of the package that knows MkDocs (see ARCHITECTURE.md)."""
