"""Untrusted text: what a PDF or a file name may carry, made safe to store and to print.

A PDF's ToUnicode map can yield any code point: NUL (PostgreSQL refuses it in text),
BEL and ESC (a terminal obeys them), RLO U+202E (reorders what a reader sees), BOM U+FEFF,
lone surrogates (no encoding accepts them). Two tools, one set of unsafe characters:

- :func:`clean` replaces each unsafe character by U+FFFD, one for one, so every offset and
  the char map stay right. The store applies it to every text it writes.
- :func:`printable` escapes each unsafe character as ``\\xHH`` (C0 controls, and bytes of a
  file name that are not UTF-8) or ``\\uHHHH`` (the others) for a terminal.
  The CLI prints untrusted text (titles, paragraphs, paths, messages) only through it.

Tab and newline are layout, not control, and are kept.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"

# C0 and C1 controls (but tab, newline), DEL, bidi embeddings/overrides/isolates and marks,
# zero-width and invisible format characters, BOM, line/paragraph separators (a terminal or
# a CSV reader treats them as breaks), non-characters U+FFFE/U+FFFF, and lone surrogates
# (what os.fsdecode makes of bytes that are not UTF-8).
_UNSAFE = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"
    "\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb\ufffe\uffff"
    "\ud800-\udfff"
)
UNSAFE_RE = re.compile(f"[{_UNSAFE}]")


def is_unsafe(char: str) -> bool:
    return UNSAFE_RE.match(char) is not None


def clean(text: str) -> str:
    """``text`` with each unsafe character replaced by U+FFFD (same length, same offsets)."""
    return UNSAFE_RE.sub(REPLACEMENT, text)


def clean_optional(text: str | None) -> str | None:
    return None if text is None else clean(text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape): show the byte
        return f"\\x{code - 0xDC00:02x}"
    # C0 as \xHH; the rest as \uHHHH, which is also valid inside a JSON string.
    return f"\\x{code:02x}" if code < 0x20 else f"\\u{code:04x}"


def printable(text: object) -> str:
    """``str(text)`` safe for a terminal: unsafe characters escaped, newlines and tabs kept."""
    return UNSAFE_RE.sub(_escape, str(text))
