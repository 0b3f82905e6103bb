"""Frisættelse i Rebild: the knowledge base's content model (load → validate → index → render)."""
