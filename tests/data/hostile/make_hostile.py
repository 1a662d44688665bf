"""Deterministic generator of hostile / malformed PDF fixtures.

Pure Python, standard library only (``zlib``, ``random`` with a fixed seed),
no network.  Every PDF is hand-assembled here (objects + cross-reference
table), so the bytes are identical on every run.

API
---
``make_all(folder=HERE) -> dict[str, Path]``
    Write every small fixture (everything except the inflate bomb) into
    ``folder`` and return ``{file name: path}``.
``make_inflate_bomb(path, inflated_size=BOMB_FULL_SIZE) -> Path``
    Write the Flate "zip bomb" PDF (about 1 MB on disk inflating to 1 GiB by
    default; pass e.g. ``BOMB_SMALL_SIZE`` (64 MiB) for a cheap variant).  It
    is never written by ``make_all`` and must not be committed.
``FIXTURES``
    ``{file name: (builder, one-line description)}`` for the small fixtures.

Command line::

    python make_hostile.py [FOLDER] [--bomb PATH] [--bomb-size BYTES]
"""

from __future__ import annotations

import argparse
import random
import zlib
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent

BOMB_FULL_SIZE = 1 << 30  # 1 GiB inflated
BOMB_SMALL_SIZE = 64 << 20  # 64 MiB inflated
BOMB_NAME = "inflate-bomb.pdf"

SEED = 20240601

# --------------------------------------------------------------------------
# Low-level PDF assembly
# --------------------------------------------------------------------------


def _b(x: str | bytes) -> bytes:
    return x.encode("latin-1") if isinstance(x, str) else x


def stream_obj(data: bytes, extra: str = "", length: str | None = None) -> bytes:
    """Body of a stream object.  ``length`` overrides the /Length value
    (e.g. an indirect reference such as ``"5 0 R"``)."""
    length_value = str(len(data)) if length is None else length
    head = f"<< /Length {length_value}{(' ' + extra) if extra else ''} >>\nstream\n"
    return _b(head) + data + b"\nendstream"


def build_pdf(
    objects: dict[int, str | bytes],
    trailer: str,
    version: str = "1.4",
    startxref_override: int | None = None,
    xref_offset_overrides: dict[int, int] | None = None,
) -> bytes:
    """Serialise numbered objects with a classic xref table.

    ``objects`` maps object number -> body bytes (without ``N 0 obj`` /
    ``endobj``).  Object numbers must be 1..N without gaps.  ``trailer`` is
    the content of the trailer dictionary without ``/Size`` (added here).
    """
    nums = sorted(objects)
    assert nums == list(range(1, len(nums) + 1)), nums
    out = bytearray(_b(f"%PDF-{version}\n") + b"%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for n in nums:
        offsets[n] = len(out)
        out += _b(f"{n} 0 obj\n") + _b(objects[n]) + b"\nendobj\n"
    if xref_offset_overrides:
        offsets.update(xref_offset_overrides)
    xref_pos = len(out)
    out += _b(f"xref\n0 {len(nums) + 1}\n0000000000 65535 f \n")
    for n in nums:
        out += _b(f"{offsets[n]:010d} 00000 n \n")
    out += _b(f"trailer\n<< /Size {len(nums) + 1} {trailer} >>\n")
    sx = xref_pos if startxref_override is None else startxref_override
    out += _b(f"startxref\n{sx}\n%%EOF\n")
    return bytes(out)


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def _text_content(lines: list[str], size: int = 12) -> bytes:
    ops = [f"BT /F1 {size} Tf 72 720 Td {size + 2} TL"]
    for line in lines:
        ops.append(f"{_pdf_string(line)} Tj T*")
    ops.append("ET")
    return _b("\n".join(ops))


FONT_RES = "<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
MEDIABOX = "[0 0 612 792]"


def text_pdf(pages: list[list[str]], info: str | None = None) -> bytes:
    """A valid text PDF: one page per entry of ``pages`` (lines of text)."""
    n_pages = len(pages)
    objs: dict[int, str | bytes] = {1: "<< /Type /Catalog /Pages 2 0 R >>"}
    page_nums = [3 + 2 * i for i in range(n_pages)]
    kids = " ".join(f"{p} 0 R" for p in page_nums)
    objs[2] = f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>"
    for p, lines in zip(page_nums, pages):
        objs[p] = f"<< /Type /Page /Parent 2 0 R /MediaBox {MEDIABOX} /Resources {FONT_RES} /Contents {p + 1} 0 R >>"
        objs[p + 1] = stream_obj(_text_content(lines))
    trailer = "/Root 1 0 R"
    if info is not None:
        objs[len(objs) + 1] = info
        trailer += f" /Info {len(objs)} 0 R"
    return build_pdf(objs, trailer)


# --------------------------------------------------------------------------
# Fixture builders (each returns the file's bytes)
# --------------------------------------------------------------------------


def valid_minimal() -> bytes:
    return text_pdf([["Hello CMS"]])


def truncated() -> bytes:
    lorem = [f"Line {i}: the quick brown fox jumps over the lazy dog." for i in range(30)]
    whole = text_pdf([lorem, lorem, lorem], info="<< /Title (Truncated sample) >>")
    return whole[: len(whole) // 2]


def length_loop() -> bytes:
    """Content stream /Length 5 0 R; obj 5 is ``6 0 R``; obj 6 is ``5 0 R``."""
    content = _text_content(["Never reached"])
    objs: dict[int, str | bytes] = {
        1: "<< /Type /Catalog /Pages 2 0 R >>",
        2: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: f"<< /Type /Page /Parent 2 0 R /MediaBox {MEDIABOX} /Resources {FONT_RES} /Contents 4 0 R >>",
        4: stream_obj(content, length="5 0 R"),
        5: "6 0 R",
        6: "5 0 R",
    }
    return build_pdf(objs, "/Root 1 0 R")


def _one_page_with_length(length: str) -> bytes:
    objs: dict[int, str | bytes] = {
        1: "<< /Type /Catalog /Pages 2 0 R >>",
        2: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: f"<< /Type /Page /Parent 2 0 R /MediaBox {MEDIABOX} /Resources {FONT_RES} /Contents 4 0 R >>",
        4: stream_obj(_text_content(["Length trouble"]), length=length),
    }
    return build_pdf(objs, "/Root 1 0 R")


def length_self_ref() -> bytes:
    """Content stream 4's /Length is ``4 0 R`` (the stream itself)."""
    return _one_page_with_length("4 0 R")


def length_huge() -> bytes:
    """Content stream claims /Length 99999999999 (~100 GB) in a ~560-byte file."""
    return _one_page_with_length("99999999999")


def html_saved_as() -> bytes:
    return (
        b'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        b"<title>Download report</title></head>\n<body>\n"
        b'<h1>Session expired</h1>\n<p>Please <a href="/login">log in</a> to '
        b"download <code>report.pdf</code>.</p>\n</body>\n</html>\n"
    )


def random_after_header() -> bytes:
    rng = random.Random(SEED)
    return b"%PDF-1.7\n" + bytes(rng.getrandbits(8) for _ in range(64 * 1024))


def page_tree_cycle() -> bytes:
    """Root /Pages 2 has /Kids [3 0 R 2 0 R 4 0 R] (itself); the child
    /Pages 4 has /Kids [2 0 R] (its parent)."""
    objs: dict[int, str | bytes] = {
        1: "<< /Type /Catalog /Pages 2 0 R >>",
        2: "<< /Type /Pages /Kids [3 0 R 2 0 R 4 0 R] /Count 3 >>",
        3: f"<< /Type /Page /Parent 2 0 R /MediaBox {MEDIABOX} /Resources {FONT_RES} /Contents 5 0 R >>",
        4: "<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
        5: stream_obj(_text_content(["Page in a cyclic tree"])),
    }
    return build_pdf(objs, "/Root 1 0 R")


DEEP_DEPTH = 50_000


def deep_nested_arrays(depth: int = DEEP_DEPTH) -> bytes:
    """Page /CropBox is a direct array nested ``depth`` levels deep."""
    deep = "[" * depth + "0" + "]" * depth
    objs: dict[int, str | bytes] = {
        1: "<< /Type /Catalog /Pages 2 0 R >>",
        2: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: (
            f"<< /Type /Page /Parent 2 0 R /MediaBox {MEDIABOX} /CropBox {deep} "
            f"/Resources {FONT_RES} /Contents 4 0 R >>"
        ),
        4: stream_obj(_text_content(["Deep arrays"])),
    }
    return build_pdf(objs, "/Root 1 0 R")


def _encrypted(encrypt_dict: str) -> bytes:
    content = _text_content(["Secret"])
    objs: dict[int, str | bytes] = {
        1: "<< /Type /Catalog /Pages 2 0 R >>",
        2: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: f"<< /Type /Page /Parent 2 0 R /MediaBox {MEDIABOX} /Resources {FONT_RES} /Contents 4 0 R >>",
        4: stream_obj(content),
        5: encrypt_dict,
    }
    file_id = "<0123456789abcdef0123456789abcdef>"
    return build_pdf(objs, f"/Root 1 0 R /Encrypt 5 0 R /ID [{file_id} {file_id}]")


def unknown_encryption() -> bytes:
    return _encrypted("<< /Filter /FooCrypt /V 1 /R 2 /Length 40 /P -4 >>")


def unknown_encryption_v() -> bytes:
    o = "<" + "00" * 32 + ">"
    return _encrypted(f"<< /Filter /Standard /V 9 /R 9 /Length 128 /P -4 /O {o} /U {o} >>")


def image_only() -> bytes:
    """One page drawing a 16x16 grey gradient image XObject; no text at all."""
    w = h = 16
    pixels = bytes(((x + y) * 8) & 0xFF for y in range(h) for x in range(w))
    img = stream_obj(
        zlib.compress(pixels, 9),
        extra=f"/Type /XObject /Subtype /Image /Width {w} /Height {h} "
        "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode",
    )
    objs: dict[int, str | bytes] = {
        1: "<< /Type /Catalog /Pages 2 0 R >>",
        2: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: (
            f"<< /Type /Page /Parent 2 0 R /MediaBox {MEDIABOX} "
            "/Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>"
        ),
        4: stream_obj(b"q 400 0 0 400 106 196 cm /Im0 Do Q"),
        5: img,
    }
    return build_pdf(objs, "/Root 1 0 R")


def not_a_pdf_txt() -> bytes:
    return b"This is a plain text file.\nIt was renamed to .pdf by mistake.\n" * 4


def zero_bytes() -> bytes:
    return b""


def xref_past_eof() -> bytes:
    """startxref and every xref entry point far beyond the end of the file."""
    base = valid_minimal()
    big = 10**9
    return build_pdf(
        {
            1: "<< /Type /Catalog /Pages 2 0 R >>",
            2: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: f"<< /Type /Page /Parent 2 0 R /MediaBox {MEDIABOX} /Resources {FONT_RES} /Contents 4 0 R >>",
            4: stream_obj(_text_content(["Hello past EOF"])),
        },
        "/Root 1 0 R",
        startxref_override=big + len(base),
        xref_offset_overrides={n: big + n for n in range(1, 5)},
    )


def huge_count() -> bytes:
    """/Pages claims /Count 2147483647 but has one kid."""
    objs: dict[int, str | bytes] = {
        1: "<< /Type /Catalog /Pages 2 0 R >>",
        2: "<< /Type /Pages /Kids [3 0 R] /Count 2147483647 >>",
        3: f"<< /Type /Page /Parent 2 0 R /MediaBox {MEDIABOX} /Resources {FONT_RES} /Contents 4 0 R >>",
        4: stream_obj(_text_content(["One real page"])),
    }
    return build_pdf(objs, "/Root 1 0 R")


FANOUT_DEPTH = 40


def xobject_fanout(depth: int = FANOUT_DEPTH) -> bytes:
    """ "Billion laughs" with Form XObjects: X_i draws X_{i+1} twice, the
    last one shows one glyph -> 2**depth glyphs from a ~5 KB file."""
    objs: dict[int, str | bytes] = {
        1: "<< /Type /Catalog /Pages 2 0 R >>",
        2: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: (
            f"<< /Type /Page /Parent 2 0 R /MediaBox {MEDIABOX} "
            "/Resources << /XObject << /X 5 0 R >> >> /Contents 4 0 R >>"
        ),
        4: stream_obj(b"/X Do"),
    }
    first = 5
    for i in range(depth):
        n = first + i
        if i < depth - 1:
            res = f"<< /XObject << /X {n + 1} 0 R >> >>"
            body = b"/X Do /X Do"
        else:
            res = FONT_RES
            body = b"BT /F1 10 Tf 72 720 Td (A) Tj ET"
        objs[n] = stream_obj(body, extra=f"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources {res}")
    return build_pdf(objs, "/Root 1 0 R")


def objstm_self_length() -> bytes:
    """PDF 1.5 file whose page (obj 3) lives in object stream 4, and object
    stream 4's /Length is 5 0 R -- which itself lives inside object stream 4."""
    page = f"<< /Type /Page /Parent 2 0 R /MediaBox {MEDIABOX} /Resources {FONT_RES} /Contents 6 0 R >>"
    members = [(3, _b(page)), (5, b"100")]
    header = b""
    body = b""
    for num, data in members:
        header += _b(f"{num} {len(body)} ")
        body += data + b"\n"
    objstm_data = header + body
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}

    def add(num: int, b: bytes) -> None:
        offsets[num] = len(out)
        out.extend(_b(f"{num} 0 obj\n") + b + b"\nendobj\n")

    add(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    add(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    add(
        4,
        stream_obj(objstm_data, extra=f"/Type /ObjStm /N 2 /First {len(header)}", length="5 0 R"),
    )
    add(6, stream_obj(_text_content(["Inside a self-referencing object stream"])))
    xref_num = 7
    xref_pos = len(out)
    rows = []
    for num in range(xref_num + 1):
        if num == 0:
            rows.append((0, 0, 0xFFFF))
        elif num in (3, 5):
            rows.append((2, 4, [m[0] for m in members].index(num)))
        elif num == xref_num:
            rows.append((1, xref_pos, 0))
        else:
            rows.append((1, offsets[num], 0))
    table = b"".join(t.to_bytes(1, "big") + f2.to_bytes(4, "big") + f3.to_bytes(2, "big") for t, f2, f3 in rows)
    out.extend(
        _b(f"{xref_num} 0 obj\n")
        + stream_obj(table, extra=f"/Type /XRef /Size {xref_num + 1} /W [1 4 2] /Root 1 0 R")
        + b"\nendobj\n"
    )
    out.extend(_b(f"startxref\n{xref_pos}\n%%EOF\n"))
    return bytes(out)


def inline_image_no_ei() -> bytes:
    """Content stream starts an inline image (BI ... ID) and never ends it (no EI)."""
    rng = random.Random(SEED + 1)
    junk = bytes(rng.choice(b"ABCDFGHJKLMNOPQRSTUVWXYZ0123456789") for _ in range(20_000))
    content = b"BT /F1 12 Tf 72 720 Td (Before image) Tj ET\nBI /W 100 /H 100 /BPC 8 /CS /G ID " + junk
    objs: dict[int, str | bytes] = {
        1: "<< /Type /Catalog /Pages 2 0 R >>",
        2: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: f"<< /Type /Page /Parent 2 0 R /MediaBox {MEDIABOX} /Resources {FONT_RES} /Contents 4 0 R >>",
        4: stream_obj(content),
    }
    return build_pdf(objs, "/Root 1 0 R")


FIXTURES: dict[str, tuple[Callable[[], bytes], str]] = {
    "valid-minimal.pdf": (valid_minimal, "Control: tiny valid 1-page text PDF saying 'Hello CMS'."),
    "length-loop.pdf": (
        length_loop,
        "Content stream /Length 5 0 R; obj 5 = `6 0 R`, obj 6 = `5 0 R` (mutual reference).",
    ),
    "length-self-ref.pdf": (length_self_ref, "Content stream /Length is `4 0 R`, i.e. the stream object itself."),
    "length-huge.pdf": (length_huge, "Content stream /Length 99999999999 in a ~560-byte file."),
    "truncated.pdf": (truncated, "Valid 3-page text PDF cut at half its length (no xref/trailer)."),
    "html-saved-as.pdf": (html_saved_as, "An HTML page saved with a .pdf name."),
    "random-after-header.pdf": (random_after_header, "`%PDF-1.7\\n` + 64 KiB of seeded random bytes."),
    "page-tree-cycle.pdf": (
        page_tree_cycle,
        "/Pages 2 /Kids [3 0 R 2 0 R 4 0 R] (itself), child /Pages 4 /Kids [2 0 R] (its parent).",
    ),
    "deep-nested-arrays.pdf": (deep_nested_arrays, f"Page /CropBox is an array nested {DEEP_DEPTH} deep."),
    "unknown-encryption.pdf": (unknown_encryption, "/Encrypt with unknown /Filter /FooCrypt."),
    "unknown-encryption-v.pdf": (unknown_encryption_v, "/Encrypt /Filter /Standard with unknown /V 9 /R 9."),
    "image-only.pdf": (image_only, "Valid 1-page PDF drawing only a 16x16 image, no text (needs OCR)."),
    "not-a-pdf.txt.pdf": (not_a_pdf_txt, "Plain text file with a .pdf name."),
    "zero-bytes.pdf": (zero_bytes, "Empty file (0 bytes)."),
    "xref-past-eof.pdf": (xref_past_eof, "startxref and all xref offsets point ~1e9 bytes past EOF."),
    "huge-count.pdf": (huge_count, "/Pages /Count 2147483647 but only one kid."),
    "xobject-fanout.pdf": (
        xobject_fanout,
        f"Form XObject 'billion laughs': each of {FANOUT_DEPTH} levels draws the next twice (2^{FANOUT_DEPTH} glyphs).",
    ),
    "objstm-self-length.pdf": (
        objstm_self_length,
        "Page lives in object stream 4 whose /Length is obj 5, which lives in object stream 4.",
    ),
    "inline-image-no-ei.pdf": (inline_image_no_ei, "Inline image `BI ... ID` with no `EI` before end of stream."),
}


def make_all(folder: str | Path = HERE) -> dict[str, Path]:
    """Write all small fixtures (not the inflate bomb) into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for name, (builder, _desc) in FIXTURES.items():
        path = folder / name
        path.write_bytes(builder())
        written[name] = path
    return written


def make_inflate_bomb(path: str | Path, inflated_size: int = BOMB_FULL_SIZE) -> Path:
    """Write a 1-page PDF whose FlateDecode content stream inflates to
    ``inflated_size`` bytes of spaces (valid content-stream whitespace).
    Default 1 GiB (~1 MB on disk); ``BOMB_SMALL_SIZE`` gives 64 MiB (~64 KB).
    Streams the compression in chunks, so generating it needs little memory."""
    path = Path(path)
    comp = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    parts = [comp.compress(b"BT /F1 12 Tf 72 720 Td (Bomb) Tj ET\n")]
    remaining = inflated_size
    while remaining > 0:
        piece = chunk if remaining >= len(chunk) else chunk[:remaining]
        parts.append(comp.compress(piece))
        remaining -= len(piece)
    parts.append(comp.flush())
    data = b"".join(parts)
    objs: dict[int, str | bytes] = {
        1: "<< /Type /Catalog /Pages 2 0 R >>",
        2: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: f"<< /Type /Page /Parent 2 0 R /MediaBox {MEDIABOX} /Resources {FONT_RES} /Contents 4 0 R >>",
        4: stream_obj(data, extra="/Filter /FlateDecode"),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(build_pdf(objs, "/Root 1 0 R"))
    return path


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", nargs="?", default=str(HERE), help="output folder (default: this folder)")
    ap.add_argument("--bomb", metavar="PATH", help=f"also write the inflate bomb to PATH (never commit {BOMB_NAME})")
    ap.add_argument("--bomb-size", type=int, default=BOMB_FULL_SIZE, help="inflated size of the bomb in bytes")
    args = ap.parse_args(argv)
    for path in make_all(args.folder).values():
        print(f"{path.stat().st_size:>9}  {path}")
    if args.bomb:
        p = make_inflate_bomb(args.bomb, args.bomb_size)
        print(f"{p.stat().st_size:>9}  {p}")


if __name__ == "__main__":
    main()
