"""Detect the body language among the three CMS languages, deterministically.

lingua is deterministic (langdetect is not: it samples). Restricting it to EN/FR/ES keeps
it fast and stops it from answering with a language CMS does not publish in.
"""

from __future__ import annotations

from functools import lru_cache

SAMPLE_CHARS = 4000
MIN_CHARS = 40


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.FRENCH, Language.SPANISH).build()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code ("en", "fr", "es") of ``text``, or None when there is too little text."""
    sample = " ".join(text.split())[:SAMPLE_CHARS]
    if len(sample) < MIN_CHARS:
        return None
    found = _detector().detect_language_of(sample)
    return found.iso_code_639_1.name.lower() if found is not None else None
