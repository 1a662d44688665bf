"""Input files: which paths a batch reads, how a file is opened, how its name is stored.

Nothing a folder holds may stop a batch. A FIFO named ``x.pdf`` would block ``open`` for
ever, a character device would stream without end, and a file name is any bytes but ``/``
and NUL, not necessarily UTF-8. So:

- :func:`list_pdfs` walks folders without following symlinked folders (no loops) and
  returns every candidate, regular or not; reading decides.
- :func:`sha256_of` opens with ``O_NONBLOCK`` (a FIFO then opens at once instead of
  waiting for a writer) and refuses anything that is not a regular file with E112.
- :func:`escape_path` gives a file name a stored text form that is valid UTF-8, free of
  control characters and reversible (:func:`unescape_path`): each byte that is not UTF-8,
  and each unsafe character's bytes, as ``\\xHH``; a backslash as ``\\\\``.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from .errors import FileUnreadable, NotRegularFile
from .safe_text import is_unsafe

PDF_SUFFIX = ".pdf"
READ_CHUNK = 1 << 20

_KINDS = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


def list_pdfs(paths: Iterable[str | Path]) -> list[Path]:
    """Paths as given (whatever they are), folders searched for *.pdf (any case), sorted, each once.

    A symlink inside a folder is listed when its name ends in .pdf (reading follows it and
    checks the target); a symlinked folder is not entered. A folder that cannot be listed is
    returned itself, so reading it records the failure instead of the batch skipping it silently.
    """
    found: dict[str, Path] = {}
    for raw in paths:
        top = Path(raw)
        if not top.is_dir():
            found[str(top)] = top
            continue

        def unlisted(err: OSError) -> None:
            if err.filename is not None:
                p = Path(os.fsdecode(err.filename))
                found[str(p)] = p

        for folder, _dirs, names in os.walk(top, onerror=unlisted, followlinks=False):
            for name in names:
                if name.lower().endswith(PDF_SUFFIX):
                    p = Path(folder, name)
                    found[str(p)] = p
    return [found[k] for k in sorted(found)]


def kind_of(mode: int) -> str:
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def sha256_of(path: str | Path) -> str:
    """The sha256 of a regular file. E112 for anything else, E101 when it cannot be read."""
    shown = escape_path(str(path))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except IsADirectoryError:
        raise NotRegularFile("is a folder with no readable PDF inside", path=shown) from None
    except OSError as e:
        raise FileUnreadable(f"cannot open ({e.strerror})", path=shown) from e
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(f"is {kind_of(mode)}, not a file", path=shown)
        h = hashlib.sha256()
        while chunk := os.read(fd, READ_CHUNK):
            h.update(chunk)
        return h.hexdigest()
    except OSError as e:
        raise FileUnreadable(f"cannot read ({e.strerror})", path=shown) from e
    finally:
        os.close(fd)


def escape_path(path: str) -> str:
    """A file name as stored: UTF-8, no control characters, reversible by :func:`unescape_path`.

    ``path`` is what Python gives for a file name (os.fsdecode: bytes that are not UTF-8
    become lone surrogates). A plain name with no backslash comes back unchanged.
    """
    if "\\" not in path and not any(is_unsafe(c) for c in path):
        return path
    out = []
    for c in path:
        if c == "\\":
            out.append("\\\\")
        elif is_unsafe(c):
            out.extend(f"\\x{b:02x}" for b in _bytes_of(c))
        else:
            out.append(c)
    return "".join(out)


def _bytes_of(char: str) -> bytes:
    try:
        return os.fsencode(char)
    except UnicodeEncodeError:  # a surrogate that no file name decodes to (text from elsewhere)
        return char.encode("utf-8", "surrogatepass")


def unescape_path(text: str) -> str:
    """The file name (as os.fsdecode gives it) that :func:`escape_path` turned into ``text``."""
    if "\\" not in text:
        return text
    raw = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and text.startswith("\\\\", i):
            raw += b"\\"
            i += 2
        elif c == "\\" and text.startswith("\\x", i) and i + 4 <= len(text):
            raw.append(int(text[i + 2 : i + 4], 16))
            i += 4
        else:
            raw += c.encode("utf-8")
            i += 1
    return os.fsdecode(bytes(raw))
