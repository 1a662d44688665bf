"""The languages CMS papers are extracted in, and a document's language tag reduced to one.

Imports nothing: the pipeline's language gate and the extractors share it without loading spaCy.
"""

from __future__ import annotations

LANGUAGES = ("en", "fr", "es")  # one extraction pipeline each (pipelines/default.cfg, fr.cfg, es.cfg)


def language_of(tag: str | None) -> str:
    """ "fr-FR" -> "fr", "en_GB" -> "en"; "" for no language."""
    return (tag or "").split("-")[0].split("_")[0].lower()
