"""Measure how pdfplumber behaves on hostile PDFs, one sandboxed child per file.

Each file is parsed in a fresh child process (``python measure_hostile.py
--child PATH``) with RLIMIT_AS (default 2 GB) and a wall-clock timeout
(default 30 s, then SIGKILL of the child's process group).  The child does
``pdfplumber.open(path)`` -> ``len(pdf.pages)`` -> for each page
``page.chars`` and ``page.extract_text()`` and prints one JSON line per
finished phase, so a hang is attributed to the phase that never finished.
Peak RSS and CPU time come from ``os.wait4`` (the same rusage that
``/usr/bin/time -v`` reports).

Usage::

    python measure_hostile.py [FILES_OR_DIRS ...] [--timeout 30] [--as-bytes 2000000000]
        [--json out.json] [--markdown out.md]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent


# --------------------------------------------------------------------------
# Child side
# --------------------------------------------------------------------------


def _qualname(e: BaseException) -> str:
    t = type(e)
    mod = t.__module__
    return t.__name__ if mod == "builtins" else f"{mod}.{t.__name__}"


def _first_line(e: BaseException) -> str:
    s = str(e).strip().splitlines()
    return (s[0] if s else "")[:160]


def _emit(**kw: object) -> None:
    sys.stdout.write(json.dumps(kw) + "\n")
    sys.stdout.flush()


def child(path: str, password: str | None) -> int:
    import logging

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    t0 = time.monotonic()
    _emit(phase="start")
    import pdfplumber

    phase = "open"
    try:
        kw = {} if password is None else {"password": password}
        t = time.monotonic()
        pdf = pdfplumber.open(path, **kw)
        _emit(phase="open", ok=True, t=round(time.monotonic() - t, 3))
        phase = "pages"
        t = time.monotonic()
        pages = pdf.pages
        _emit(phase="pages", ok=True, n=len(pages), t=round(time.monotonic() - t, 3))
        n_chars = n_text = 0
        sample = ""
        for i, page in enumerate(pages):
            phase = f"chars[p{i + 1}]"
            _emit(phase="begin", what=phase)
            n_chars += len(page.chars)
            phase = f"text[p{i + 1}]"
            _emit(phase="begin", what=phase)
            txt = page.extract_text() or ""
            n_text += len(txt)
            if len(sample) < 40:
                sample += txt[: 40 - len(sample)]
            page.close()
        _emit(phase="done", ok=True, chars=n_chars, text_len=n_text, sample=sample, t=round(time.monotonic() - t0, 3))
        return 0
    except BaseException as e:
        inner = None
        if e.args and isinstance(e.args[0], BaseException):
            inner = e.args[0]
        elif e.__cause__ is not None:
            inner = e.__cause__
        elif e.__context__ is not None:
            inner = e.__context__
        tb = traceback.extract_tb(e.__traceback__)
        where = f"{Path(tb[-1].filename).parent.name}/{Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
        _emit(
            phase=phase,
            ok=False,
            exc=_qualname(e),
            msg=_first_line(e),
            inner=_qualname(inner) if inner is not None else None,
            inner_msg=_first_line(inner) if inner is not None else None,
            where=where,
        )
        return 1


# --------------------------------------------------------------------------
# Parent side
# --------------------------------------------------------------------------


def run_one(path: Path, timeout: float, as_bytes: int, password: str | None = None) -> dict:
    def limits() -> None:
        if as_bytes > 0:  # 0 = no address-space limit
            resource.setrlimit(resource.RLIMIT_AS, (as_bytes, as_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(path)]
    if password is not None:
        cmd += ["--password", password]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, preexec_fn=limits, start_new_session=True)
        timed_out = False
        while True:
            pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - t0 > timeout:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, ru = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - t0
        out.seek(0)
        err.seek(0)
        events = [
            json.loads(line) for line in out.read().decode("utf-8", "replace").splitlines() if line.startswith("{")
        ]
        stderr_lines = err.read().decode("utf-8", "replace").splitlines()
    warnings = [ln for ln in stderr_lines if ln.startswith(("WARNING", "ERROR"))]
    last = next((e for e in reversed(events) if e.get("phase") != "begin"), {})
    last_begin = next((e["what"] for e in reversed(events) if e.get("phase") == "begin"), None)
    res: dict = {
        "file": path.name,
        "size": path.stat().st_size,
        "wall_s": round(wall, 2),
        "cpu_s": round(ru.ru_utime + ru.ru_stime, 2),
        "max_rss_mb": round(ru.ru_maxrss / 1024, 1),
        "exit": proc.returncode,
        "warnings": len(warnings),
        "first_warning": warnings[0][:160] if warnings else None,
        "password": password,
    }
    pages_ev = next((e for e in events if e.get("phase") == "pages" and e.get("ok")), None)
    res["n_pages"] = pages_ev["n"] if pages_ev else None
    if timed_out:
        # the phase that started but never reported
        done_phases = [e["phase"] for e in events]
        order = ["start", "open", "pages"]
        nxt = next((p for p in order if p not in done_phases), None)
        if nxt is None:  # inside the page loop: the last page step that began
            nxt = last_begin or "?"
        res.update(outcome="TIMEOUT", phase=nxt)
    elif last.get("phase") == "done":
        res.update(outcome="OK", phase="done", chars=last["chars"], text_len=last["text_len"], sample=last["sample"])
    elif last.get("ok") is False:
        res.update(
            outcome="EXC",
            phase=last["phase"],
            exc=last["exc"],
            msg=last["msg"],
            inner=last["inner"],
            inner_msg=last["inner_msg"],
            where=last["where"],
        )
    else:
        fatal = [ln for ln in stderr_lines if ln.startswith("Fatal Python error")]
        tail = fatal[:1] or [ln for ln in stderr_lines if ln.strip()][-1:] or [""]
        res.update(
            outcome=f"DIED(exit {proc.returncode})",
            phase=(last_begin if last.get("phase") == "pages" else None) or last.get("phase", "?"),
            msg=tail[0][:160],
        )
    return res


def _short(s: str | None, n: int = 90) -> str:
    s = s or ""
    return s if len(s) <= n else s[: n - 1] + "…"


def describe(r: dict) -> str:
    if r["outcome"] == "OK":
        return f"OK: {r['n_pages']} page(s), {r['chars']} chars, text_len {r['text_len']}"
    if r["outcome"] == "TIMEOUT":
        return f"**HANG** (killed after timeout) in `{r['phase']}`"
    if r["outcome"] == "EXC":
        s = f"`{r['exc']}`"
        if r.get("inner"):
            s += f" wrapping `{r['inner']}`: {_short(r['inner_msg'])}"
        else:
            s += f": {_short(r['msg'])}"
        return s + f" — in `{r['phase']}`" + (f" (pages={r['n_pages']})" if r["n_pages"] is not None else "")
    return f"**{r['outcome']}** in `{r['phase']}` {r.get('msg', '')}"


def to_markdown(results: list[dict]) -> str:
    rows = [
        "| file | bytes | outcome | wall s | CPU s | peak RSS MB | pdfminer warnings |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for r in results:
        name = r["file"] + (f" (password={r['password']!r})" if r["password"] is not None else "")
        desc = describe(r).replace("|", "\\|")
        rows.append(
            f"| {name} | {r['size']} | {desc} | {r['wall_s']} | {r['cpu_s']} | {r['max_rss_mb']} | {r['warnings']} |"
        )
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*", default=[str(HERE)])
    ap.add_argument("--child", metavar="PATH")
    ap.add_argument("--password", default=None)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--as-bytes", type=int, default=2_000_000_000)
    ap.add_argument(
        "--also-empty-password",
        action="store_true",
        help="re-run files with 'encrypt'/'password'/'aes'/'rc4' in the name with password=''",
    )
    ap.add_argument("--json")
    ap.add_argument("--markdown")
    args = ap.parse_args(argv)
    if args.child:
        sys.exit(child(args.child, args.password))
    files: list[Path] = []
    for p in map(Path, args.paths):
        files += sorted(p.glob("*.pdf")) if p.is_dir() else [p]
    results = []
    for f in files:
        r = run_one(f, args.timeout, args.as_bytes, password=args.password)
        results.append(r)
        print(f"{f.name}: {describe(r)}  [{r['wall_s']}s, {r['max_rss_mb']} MB]", file=sys.stderr, flush=True)
        if args.also_empty_password and any(k in f.name.lower() for k in ("encrypt", "password", "aes", "rc4")):
            r2 = run_one(f, args.timeout, args.as_bytes, password="")
            results.append(r2)
            print(f"{f.name} (pw=''): {describe(r2)}", file=sys.stderr, flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    md = to_markdown(results)
    if args.markdown:
        Path(args.markdown).write_text(md)
    print(md)


if __name__ == "__main__":
    main()
