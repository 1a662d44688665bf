"""The command line: each command parses options, makes one library call, prints the result.

Only this module prints; the library logs.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from .config import DEFAULT_DB, load_settings
from .errors import CamiError, InternalError, UnknownMention
from .safe_text import clean, printable

T = TypeVar("T")

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

# Exit codes (docs/errors.md): 0 done (a warning may have been printed), 1 done but some input
# failed (or `eval --check` missed a target), 2 usage error, 3 a coded error stopped the command,
# 4 an internal error (a bug).
EXIT_PARTIAL, EXIT_USAGE, EXIT_ERROR, EXIT_INTERNAL = 1, 2, 3, 4


def _echo(text: object = "", *, err: bool = False) -> None:
    click.echo(printable(text), err=err)


def _json_line(record: dict) -> str:
    """One JSON line safe for a terminal: json.dumps escapes C0 controls, printable() the rest as \\uNNNN."""
    return printable(json.dumps(record, ensure_ascii=False))


def _setup_logging(verbose: int) -> None:
    logging.basicConfig(format="%(levelname)s %(name)s: %(message)s", force=True)
    logging.getLogger().setLevel([logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)])
    logging.getLogger("pdfminer").setLevel(logging.ERROR)


def _remember(ctx: click.Context, param: click.Parameter, value):
    """Global options may stand before or after the subcommand; the one given last wins."""
    obj = ctx.ensure_object(dict)
    if param.name == "verbose":
        if value:
            obj["verbose"] = max(obj.get("verbose", 0), value)
            _setup_logging(obj["verbose"])
    elif value is not None:
        obj[param.name] = value
    return value


def global_options(f):
    f = click.option(
        "-v", "--verbose", count=True, expose_value=False, callback=_remember, help="Log more (-v info, -vv debug)."
    )(f)
    f = click.option(
        "--config",
        type=click.Path(exists=True, dir_okay=False),
        expose_value=False,
        callback=_remember,
        help="Settings file with a [cami] section (docs/settings.md).",
    )(f)
    f = click.option(
        "--db",
        metavar="URL|PATH",
        expose_value=False,
        callback=_remember,
        help=f"Database: a SQLite file, sqlite:///PATH or postgresql://HOST/DB. Default: $CAMI_DB or {DEFAULT_DB}.",
    )(f)
    return f


def _settings(ctx_obj: dict, **overrides):
    return load_settings(config_file=ctx_obj.get("config"), overrides={"db": ctx_obj.get("db"), **overrides})


def _open_store(settings, *, write: bool = False):
    """Read commands never create a database (E205); a write creates the file, and its folder only for the default."""
    from .store.repository import Store

    return Store.open(
        settings.db,
        create=write,
        create_folder=write and settings.db == DEFAULT_DB,
        lock_timeout=settings.lock_timeout,
    )


def _fail(e: CamiError) -> None:
    raise CodedFailure(e) from e


class CodedFailure(click.ClickException):
    """A coded error that stopped the command: one paragraph, exit code 3."""

    exit_code = EXIT_ERROR

    def __init__(self, error: CamiError):
        super().__init__(printable(str(error)))
        self.error = error

    def show(self, file=None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


def _reading(ctx_obj: dict, read: Callable[[Any], T]) -> T:
    """``read(store)`` on the database the options name, opened for reading (never created) and
    closed again; a coded error stops the command with its message."""
    try:
        store = _open_store(_settings(ctx_obj))
        try:
            return read(store)
        finally:
            store.close()
    except CamiError as e:
        _fail(e)
        raise  # unreachable: _fail raises


def _table(ctx_obj: dict, table: str, *, all_versions: bool = False) -> list[dict]:
    """All rows of an export table, read from the database the options name."""
    from .export import rows

    return _reading(ctx_obj, lambda store: list(rows(store, table, all_versions=all_versions)))


@click.group(context_settings=CONTEXT)
@global_options
@click.version_option(package_name="cami-extract")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Mine CMS meeting papers (PDF) into a provenance-keeping store.

    The options --db, --config and -v may also follow the command (`cami ingest corpus/ --db x.sqlite`).

    \b
    Examples:
      cami ingest corpus/                      # parse, extract and store every PDF below corpus/
      cami export --format jsonl --out outputs/export
      cami --db postgresql://127.0.0.1/test documents
    """
    obj = ctx.ensure_object(dict)
    _setup_logging(obj.get("verbose", 0))


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--workers", type=int, help="Parser processes (default: one per core).")
@click.option(
    "--timeout", type=float, help="Wall-clock seconds per file before the worker is killed (default 4 x the CPU limit)."
)
@click.option("--cpu-limit", type=int, help="CPU seconds per file for the worker: parse + extract (default 60).")
@click.option("--memory-limit", type=int, help="MiB of memory per parser process (default 1536).")
@click.option("--recycle-after", type=int, help="Files per parser process before a fresh one replaces it (default 25).")
@click.option("--no-extract", is_flag=True, help="Store documents without extracting entities.")
@click.option(
    "--ocr",
    type=click.Choice(["auto", "always", "never"]),
    help="Pages without a text layer: read by OCR (auto, the default), every page (always), none (never).",
)
@click.option(
    "--dask-scheduler", metavar="ADDRESS", help="Parse on this Dask cluster (tcp://host:8786); see docs/dask.md."
)
@click.option("--dask-local", type=int, metavar="N", help="Parse on a local Dask cluster of N worker processes.")
@click.option("-q", "--quiet", is_flag=True, help="No progress (bar or lines), only problems and the summary.")
@global_options
@click.pass_obj
def ingest(
    obj,
    paths,
    workers,
    timeout,
    cpu_limit,
    memory_limit,
    recycle_after,
    no_extract,
    ocr,
    dask_scheduler,
    dask_local,
    quiet,
) -> None:
    """Parse, extract and store PDFs: files, or folders searched for *.pdf.

    Unchanged files (same sha256) are skipped, and a batch with nothing new stops after
    hashing, recording no run; a changed file with the same symbol and
    language becomes a new version and the old one is marked superseded. A file that
    fails (a missing path too) is recorded with its reason and the batch goes on; the exit
    code is 1 then. Progress goes to stderr: a bar on a terminal, one line per file
    otherwise (pipes, cron); --quiet silences it.

    \b
    Examples:
      cami ingest corpus/
      cami ingest --workers 4 --timeout 120 meeting-papers/ extra.pdf
      cami ingest corpus/ --db postgresql://127.0.0.1/test
    """
    from .errors import NoInput
    from .inputs import list_pdfs

    try:
        settings = _settings(
            obj,
            workers=workers,
            timeout=timeout,
            cpu_limit=cpu_limit,
            memory_limit=memory_limit,
            recycle_after=recycle_after,
            extract=False if no_extract else None,
            ocr=ocr,
            dask_scheduler=dask_scheduler,
            dask_local=dask_local,
        )
        files = list_pdfs(paths)
        if not files:
            warning = NoInput(f"no PDF files in {', '.join(map(str, paths))}; nothing to do")
            _echo(f"warning: {warning}", err=True)
            return
        if _nothing_to_do(settings, files):  # before SQLAlchemy, the parser or spaCy is imported
            with _progress(len(files), quiet=quiet) as progress:
                for path in files:
                    if progress:
                        progress(str(path), "unchanged")
            _echo(f"0 ingested, {len(files)} unchanged, 0 failed (0 superseded, 0 mentions); nothing to do, no run")
            return
        from .pipeline import ingest as run_ingest

        store = _open_store(settings, write=True)
        try:
            with _progress(len(files), quiet=quiet) as progress:
                report = run_ingest(files, store, settings, progress=progress)
        finally:
            store.close()
    except CamiError as e:
        _fail(e)
    for f in report.failed:
        _echo(f"failed: {f.message}" if f.path in f.message else f"failed: {f.path}: {f.message}", err=True)
    for p in report.non_english:
        _echo(f"flagged: {p}: not English; stored without entity extraction", err=True)
    for p in report.needs_ocr:
        _echo(f"flagged: {p}: has image-only pages that need OCR", err=True)
    c = report.counts()
    _echo(
        f"{c['ingested']} ingested, {c['unchanged']} unchanged, {c['failed']} failed "
        f"({c['superseded']} superseded, {c['mentions']} mentions) in run {report.run_id}"
    )
    if report.failed:
        sys.exit(EXIT_PARTIAL)


def _nothing_to_do(settings, files) -> bool:
    """Every file stored and read by the reconciler already (a SQLite store, asked read-only)."""
    from .model import CLAIMS_VERSION
    from .store.probe import nothing_to_do

    return nothing_to_do(settings.db, files, claims_version=CLAIMS_VERSION if settings.reconcile else None)


@contextmanager
def _progress(total: int, *, quiet: bool) -> Iterator[Callable[[str, str], None] | None]:
    """A bar on a terminal; one line per file on stderr otherwise (a log, under cron); nothing when quiet."""
    if quiet:
        yield None
        return
    if not sys.stderr.isatty():
        done = 0

        def line(path: str, what: str) -> None:
            nonlocal done
            done += 1
            _echo(f"[{done}/{total}] {what}: {path}", err=True)

        yield line
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("", total=total)

    def advance(path: str, what: str) -> None:
        # rich reads [..] in a description as markup: a file name must not be
        bar.update(task, advance=1, description=escape(printable(f"{what}: {Path(path).name}")))

    with bar:
        yield advance


@cli.command(context_settings=CONTEXT)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "parquet", "xlsx", "informea"]),
    default="jsonl",
    show_default=True,
    help="xlsx: one spreadsheet per table; informea: documents and the decisions they cite, shaped as InforMEA records (JSONL).",
)
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Folder for the files (one per table).")
@click.option("--all-versions", is_flag=True, help="Include superseded versions of documents.")
@click.option("--bom", is_flag=True, help="CSV: start each file with a UTF-8 byte-order mark (for spreadsheets).")
@global_options
@click.pass_obj
def export(obj, fmt, out, all_versions, bom) -> None:
    """Write documents, paragraphs, mentions, failures and the activity register, one file per table.

    Rows come in a stable order: two JSONL, CSV or Parquet exports of the same database are
    byte-identical. xlsx writes one spreadsheet per table (for Excel and LibreOffice).
    Fields are described in docs/schema.md.

    \b
    Examples:
      cami export --format jsonl --out outputs/export
      cami export --format parquet --out /tmp/cami-parquet
      cami export --format csv --bom --out for-excel/
      cami export --format xlsx --out outputs/export
      cami export --format informea --out outputs/export
    """
    from .export import export as run_export
    from .informea import export_informea

    if fmt == "informea":
        written = _reading(obj, lambda store: export_informea(store, out))
    else:
        written = _reading(obj, lambda store: run_export(store, out, fmt, all_versions=all_versions, bom=bom))
    for path, n in written.values():
        _echo(f"{path}: {n} rows")


@cli.command(context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines, one object per document.")
@global_options
@click.pass_obj
def documents(obj, as_json) -> None:
    """List stored documents: symbol, language, pages, status, flags, file.

    \b
    Examples:
      cami documents
      cami documents --json
    """
    found = _table(obj, "documents", all_versions=True)
    if as_json:
        _echo_json(found)
        return
    _echo_table(found, ["symbol", "language", "pages", "status", "flags", "path"], widths={"path": 60})


@cli.command(context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines, one object per failure.")
@global_options
@click.pass_obj
def failures(obj, as_json) -> None:
    """List recorded failures: code, reason, file, message.

    \b
    Examples:
      cami failures
      cami failures --json
    """
    found = _table(obj, "failures")
    if as_json:
        _echo_json(found)
        return
    click.echo(f"{'code':5} {'reason':14} {'stage':8} path / message")
    for f in found:
        _echo(f"{f['error_code']:5} {f['reason']:14} {f['stage']:8} {f['path']}\n    {f['message']}")
    click.echo(f"({len(found)} row{'s' if len(found) != 1 else ''})")


@cli.command(context_settings=CONTEXT)
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print blocks as JSON lines.")
@click.option(
    "--ocr",
    type=click.Choice(["auto", "always", "never"]),
    help="Pages without a text layer: read by OCR (auto, the default), every page (always), none (never).",
)
@global_options
@click.pass_obj
def parse(obj, pdf, as_json, ocr) -> None:
    """Parse one PDF here (no sandbox, nothing stored) and print its cover and blocks.

    \b
    Examples:
      cami parse corpus/UNEP-CMS-CAMI3-Doc.7.pdf
      cami parse --ocr never scan.pdf
    """
    from .model import Failure
    from .pipeline import parse_here

    try:
        settings = _settings(obj, ocr=ocr)
    except CamiError as e:
        _fail(e)
    result = parse_here(pdf, char_source=settings.char_source, ocr=settings.ocr)
    if isinstance(result, Failure):
        _echo(f"error: {result.error_code} ({result.reason}): {result.message}", err=True)
        sys.exit(EXIT_ERROR)
    if as_json:
        for b in result.blocks:
            # cleaned as the store would (U+FFFD for controls), so the JSON is what gets stored
            record = {"seq": b.seq, "kind": b.kind, "label": b.label, "pages": b.pages, "text": clean(b.text)}
            click.echo(_json_line(record))
        return
    c = result.cover
    _echo(
        f"symbol: {c.symbol}\nissue date: {c.issue_date}\nlanguage: {result.language} (original: {c.original_language})"
        f"\nmeeting: {c.meeting}\nplace: {c.meeting_place}\ndates: {c.meeting_dates}\nagenda item: {c.agenda_item}"
        f"\ntitle: {c.title}\npages: {result.page_count}"
    )
    for w in result.warnings:
        _echo(f"warning: {w}")
    for b in result.blocks:
        _echo(f"[{b.seq}] {b.kind} {b.label or ''} p{','.join(map(str, b.pages))}: {b.text}")


@cli.command(context_settings=CONTEXT)
@click.argument("document")
@click.argument("paragraph", required=False)
@click.argument("start", type=int, required=False)
@click.argument("end", type=int, required=False)
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object (document, page, offsets, boxes, sentence)."
)
@global_options
@click.pass_obj
def where(obj, document, paragraph, start, end, as_json) -> None:
    """Show where text came from: page, bounding box and sentence.

    DOCUMENT is a symbol or sha256; PARAGRAPH a label ("15", "fn1") or "#SEQ" for a block
    by position; START and END are offsets into its text (default: the whole block).
    A number alone is a mention id (the `id` of the mentions table, as Datasette shows it):
    its document, page, paragraph, offsets, bounding box and sentence.

    \b
    Examples:
      cami where UNEP/CMS/CAMI3/Doc.7 15 0 40
      cami where UNEP/CMS/CAMI3/Doc.7 fn1
      cami where 1234 --json
    """
    from .provenance import LocatedMention, locate, locate_mention

    found: Any
    if paragraph is None:
        if not document.isdigit():
            _fail(
                UnknownMention(
                    f"{document!r} is not a mention id",
                    hint="Give a mention id alone (`cami where 1234`), or DOCUMENT PARAGRAPH [START END].",
                )
            )
        found = _reading(obj, lambda store: locate_mention(store, int(document)))
    else:
        found = _reading(obj, lambda store: locate(store, document, paragraph, start, end))
    if as_json:
        click.echo(_json_line(found.as_dict()))
        return
    if isinstance(found, LocatedMention):
        _echo(f"mention: {found.mention_id} ({found.entity_type}: {clean(found.canonical)!r}, {found.extractor})")
        found = found.where
    _echo(f"document: {found.document} ({found.path})\nparagraph: {found.label} ({found.kind}, block {found.seq})")
    _echo(f"text [{found.start}:{found.end}]: {found.text!r}")
    _echo(f"source: {found.source_note()}")
    for page, (x0, top, x1, bottom) in found.boxes:
        _echo(f"page {page}: bbox x0={x0:.1f} top={top:.1f} x1={x1:.1f} bottom={bottom:.1f}")
    _echo(f"sentence: {found.sentence}")


TARGETS = {"species": 0.95, "country": 0.95, "date": 0.95, "document_code": 0.95, "funder": 0.90}


@cli.command(name="eval", context_settings=CONTEXT)
@click.option(
    "--gold",
    "gold_dir",
    type=click.Path(exists=True, file_okay=False),
    default="corpus/gold",
    show_default=True,
    help="Folder of gold annotations (*.jsonl).",
)
@click.option("--errors", "show_errors", is_flag=True, help="Also list each false positive and false negative.")
@click.option("--check", is_flag=True, help="Exit 1 when a paragraph-level F1 is below its target on any document.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines: one per document (and 'all'), level and type.")
@global_options
@click.pass_obj
def evaluate(obj, gold_dir, show_errors, check, as_json) -> None:
    """Score the stored mentions against gold: P/R/F1 per entity type, paragraph and document level.

    Ingest first (`cami ingest corpus/`). Prints the table over all gold documents, then the
    paragraph-level F1 of each document with the targets (0.95; funders 0.90).

    \b
    Examples:
      cami ingest corpus/ && cami eval
      cami eval --errors --check
      cami eval --json
    """
    from .evaluate import load_gold, same, score
    from .model import ENTITY_TYPES

    try:
        gold = load_gold(gold_dir)
    except CamiError as e:
        _fail(e)
    predicted: dict = {}
    for m in _table(obj, "mentions"):
        if m["paragraph"] is not None:
            key = (m["document"], m["language"], m["paragraph"])
            predicted.setdefault(key, {}).setdefault(m["entity_type"], set()).add(same(m["canonical"]))
    report = score(predicted, gold)
    if as_json:
        _eval_json(report, predicted, gold, show_errors=show_errors, check=check)
        return
    _echo(f"all gold documents ({len(gold.documents())}), {len(gold.blocks)} blocks")
    _echo(report.render())
    missed = []
    _echo("\nparagraph-level F1 per document (target: " + ", ".join(f"{t} {v}" for t, v in TARGETS.items()) + ")")
    for doc, lang in sorted(gold.documents()):
        sub = type(gold)(blocks={k: v for k, v in gold.blocks.items() if k[:2] == (doc, lang)})
        r = score(predicted, sub)
        cells = []
        for t in ENTITY_TYPES:
            c = r.paragraph[t]
            ok = c.support == 0 or c.f1 >= TARGETS[t]
            if not ok:
                missed.append((doc, t))
            cells.append(f"{t} {c.f1:.3f}{'' if ok else ' (below)'}")
        _echo(f"  {doc} [{lang}]: " + ", ".join(cells))
    if show_errors:
        for key, t, kind, value in report.errors:
            _echo(f"{kind} {t:14} {key[0]} {key[1]} para {key[2]}: {value}")
    if check and missed:
        click.echo(f"below target: {missed}", err=True)
        sys.exit(EXIT_PARTIAL)


@cli.command(context_settings=CONTEXT)
@click.argument("symbol")
@click.option(
    "--gold",
    "gold_dir",
    type=click.Path(exists=True, file_okay=False),
    help="Gold folder: say whether a difference is a translation or an extraction error.",
)
@global_options
@click.pass_obj
def editions(obj, symbol, gold_dir) -> None:
    """Compare the canonical values of a symbol's editions (en, fr, es) paragraph by paragraph.

    Paragraphs are matched by label; canonical values do not depend on the language, so every
    difference is an extraction error or a translation difference (told apart with --gold).

    \b
    Examples:
      cami editions UNEP/CMS/COP15/Doc.31.4.2
      cami editions UNEP/CMS/CAMI3/Doc.7 --gold corpus/gold
    """
    from .editions import compare, gold_values, paragraph_values
    from .evaluate import load_gold

    labels: dict[str, list[str]] = {}
    for p in _table(obj, "paragraphs"):
        if p["document"] == symbol and p["label"] and p["kind"] != "heading":
            labels.setdefault(p["language"], []).append(p["label"])
    if not labels:
        raise click.ClickException(f"no stored document {symbol!r}; list them with `cami documents`.")
    values = paragraph_values(_table(obj, "mentions"), symbol, labels=labels)
    gold = optional = None
    if gold_dir:
        try:
            blocks = load_gold(gold_dir).blocks
        except ValueError as e:
            raise click.ClickException(str(e)) from e
        gold, optional = gold_values(blocks, symbol), gold_values(blocks, symbol, part="optional")
    report = compare(symbol, values, gold=gold, optional=optional)
    click.echo(f"{symbol}: editions {', '.join(report.languages)}; {len(report.paragraphs)} paragraphs in all of them")
    for lang, only in report.only_in.items():
        click.echo(f"  only in {lang}: {', '.join(only)}")
    if len(report.languages) < 2:
        click.echo("one edition stored: nothing to compare")
        return
    differing = report.differing_paragraphs()
    click.echo(f"{len(differing)} paragraphs differ" + (f": {', '.join(differing)}" if differing else ""))
    for d in report.differences:
        kind = f" [{d.kind}]" if d.kind else ""
        click.echo(f"  para {d.paragraph} {d.entity_type}{kind}")
        for lang, vals in d.values.items():
            click.echo(f"    {lang}: {'; '.join(sorted(vals)) or '-'}")


def _eval_json(report, predicted, gold, *, show_errors: bool, check: bool) -> None:
    """`cami eval --json`: the same figures as the table, as rows a notebook reads."""
    from .evaluate import score
    from .model import ENTITY_TYPES

    def figures(document, language, r):
        for level, counts in (("paragraph", r.paragraph), ("document", r.document)):
            for t in ENTITY_TYPES:
                c = counts[t]
                yield {
                    "document": document,
                    "language": language,
                    "level": level,
                    "entity_type": t,
                    "precision": round(c.precision, 4),
                    "recall": round(c.recall, 4),
                    "f1": round(c.f1, 4),
                    "support": c.support,
                    "target": TARGETS[t] if level == "paragraph" else None,
                }

    missed = []
    _echo_json(figures("all", None, report))
    for doc, lang in sorted(gold.documents()):
        sub = type(gold)(blocks={k: v for k, v in gold.blocks.items() if k[:2] == (doc, lang)})
        for row in figures(doc, lang, score(predicted, sub)):
            if row["level"] == "paragraph" and row["support"] and row["f1"] < TARGETS[row["entity_type"]]:
                missed.append((doc, row["entity_type"]))
            _echo_json([row])
    if show_errors:
        _echo_json(
            {"error": kind, "entity_type": t, "document": key[0], "language": key[1], "paragraph": key[2], "value": v}
            for key, t, kind, v in report.errors
        )
    if check and missed:
        click.echo(f"below target: {missed}", err=True)
        sys.exit(EXIT_PARTIAL)


@cli.command(name="reconcile", context_settings=CONTEXT)
@click.option("--rebuild", is_flag=True, help="Recompute every activity from the stored claims (same result).")
@global_options
@click.pass_obj
def reconcile_command(obj, rebuild) -> None:
    """Update the activity register: claims of documents not yet read, then the activities they touch.

    Ingest runs this after every batch; use it after an ingest with CAMI_RECONCILE=false, or
    with --rebuild to recompute everything (the tables come out the same).

    \b
    Examples:
      cami reconcile
      cami reconcile --rebuild
    """
    from .reconcile import MatchConfig, reconcile_all

    def run(store):
        settings = _settings(obj)
        with store.writer(settings.lock_timeout):
            return reconcile_all(store, rebuild=rebuild, config=MatchConfig(settings.reconcile_link_threshold))

    report = _reading(obj, run)
    c = report.counts()
    click.echo(
        f"{c['documents']} documents read, {c['claims']} claims; {c['activities']} activities, "
        f"{c['links']} links, {c['conflicts']} conflicts written"
    )
    click.echo("no claim: " + (", ".join(f"{k} {v}" for k, v in c["skipped"].items()) or "-"))
    click.echo("refused: " + (", ".join(f"{k} {v}" for k, v in c["refused"].items()) or "-"))


RECONCILE_TARGETS = {"precision": 0.95, "recall": 0.95, "fields": 0.90}


@cli.command(name="eval-reconcile", context_settings=CONTEXT)
@click.option(
    "--gold",
    "gold_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Reconciliation gold file(s) (default: every corpus/gold/reconcile/*.json).",
)
@click.option("--errors", "show_errors", is_flag=True, help="Also list each false or missed link, conflict and field.")
@click.option("--check", is_flag=True, help="Exit 1 when link P/R is below 0.95 or field accuracy below 0.90.")
@click.option(
    "--explain",
    is_flag=True,
    help="For each missed link: both ends' claims (type, title, dates, place, funders, species, POW) and the rule's verdict.",
)
@global_options
@click.pass_obj
def eval_reconcile(obj, gold_files, show_errors, check, explain) -> None:
    """Score the stored activities against reconciliation gold: link P/R, conflicts, fields.

    \b
    Examples:
      cami ingest corpus/ && cami eval-reconcile
      cami eval-reconcile --gold corpus/gold/reconcile/blind-gold.json --errors
      cami eval-reconcile --gold corpus/gold/reconcile/cami3-cop14.json --explain
    """
    from .reconcile import MatchConfig, explain_claims
    from .reconcile.evaluate import load_gold, predicted_from_rows, score
    from .reconcile.explain import explain_missed

    paths = [Path(p) for p in gold_files] or sorted(Path("corpus/gold/reconcile").glob("*.json"))
    if not paths:
        raise click.ClickException("no gold files: pass --gold FILE")
    activities = _table(obj, "activities")
    missed = []
    for path in paths:
        try:
            gold = load_gold(path)
        except CamiError as e:
            _fail(e)
        result = score(gold, predicted_from_rows(activities, gold))
        click.echo(f"{path}: {len(gold.activities)} activities, {len(gold.conflicts)} conflicts")
        click.echo(result.render())
        if show_errors:
            for line in result.errors:
                click.echo(f"  {line}")
        if explain:
            config = MatchConfig(_settings(obj).reconcile_link_threshold)
            claims, linked = _reading(obj, explain_claims)
            for line in explain_missed(gold, claims, config, linked):
                click.echo(f"  {line}")
        if result.precision < RECONCILE_TARGETS["precision"] or result.recall < RECONCILE_TARGETS["recall"]:
            missed.append(f"{path.name} links")
        for report, (right, total) in result.fields.items():
            if total and right / total < RECONCILE_TARGETS["fields"]:
                missed.append(f"{path.name} fields {report}")
    if check and missed:
        click.echo(f"below target: {missed}", err=True)
        sys.exit(EXIT_PARTIAL)


# -- query commands (issue 11): library in cami_extract/audit/, readable table or --json --------
JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON lines, one object per row.")


def _echo_json(items) -> None:
    for item in items:
        click.echo(_json_line(item))


def _cell(value) -> str:
    if value is None or value == []:
        return "-"
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return " ".join(str(v) for v in value.values() if v is not None)
    return " ".join(str(value).split())


def _echo_table(records: list[dict], columns: list[str], *, widths: dict[str, int] | None = None) -> None:
    """A readable table: a header, one line per record, cells cut at their width, then a count."""
    widths = widths or {}
    cells = [[_cell(r.get(c)) for c in columns] for r in records]
    sizes = [min(widths.get(c, 40), max([len(c)] + [len(row[i]) for row in cells])) for i, c in enumerate(columns)]

    def line(values):
        out = []
        for v, n in zip(values, sizes, strict=True):
            out.append((v if len(v) <= n else v[: n - 1] + "…").ljust(n))
        return "  ".join(out).rstrip()

    _echo(line(columns))
    _echo(line(["-" * n for n in sizes]))
    for row in cells:
        _echo(line(row))
    click.echo(f"({len(records)} row{'s' if len(records) != 1 else ''})")


@cli.command(name="activities", context_settings=CONTEXT)
@click.option(
    "--type", "type_", metavar="TYPE", help="meeting, workshop, study, project, publication, agreement, other."
)
@click.option("--species", help="A canonical species name, or part of one (case ignored).")
@click.option("--country", metavar="ISO3", help="A country's ISO alpha-3 code (MNG).")
@click.option("--funder", help="Part of a funder's name (Germany, IKI).")
@click.option(
    "--from", "date_from", metavar="DATE", help="Activities ending on or after this ISO date (2022, 2022-09)."
)
@click.option("--to", "date_to", metavar="DATE", help="Activities starting on or before this ISO date.")
@JSON_OPTION
@global_options
@click.pass_obj
def activities_command(obj, type_, species, country, funder, date_from, date_to, as_json) -> None:
    """List activities of the register, filtered; each with its dates, place, funders and sources.

    \b
    Examples:
      cami activities --type meeting --from 2022 --to 2023
      cami activities --species "Equus hemionus" --json
      cami activities --funder Germany --country MNG
    """
    from .audit.query import ActivityFilter, activities

    where = ActivityFilter(type_, species, country, funder, date_from, date_to)
    found = _reading(obj, lambda store: activities(store, where))
    if as_json:
        _echo_json(found)
        return
    for a in found:
        a["sources"] = [f"{s['document']} ¶{s['paragraph']}" for s in a["sources"]]
        a["funders"] = [f["funder"] + (f" ({f['amount']})" if f.get("amount") else "") for f in a["funders"]]
    _echo_table(
        found,
        ["activity_id", "type", "start", "end", "title", "place", "funders", "sources"],
        widths={"title": 48, "funders": 36, "sources": 48},
    )


@cli.command(name="search", context_settings=CONTEXT)
@click.argument("text")
@click.option("--limit", type=int, default=50, show_default=True, help="At most this many paragraphs.")
@click.option("--all-versions", is_flag=True, help="Also search superseded versions of documents.")
@JSON_OPTION
@global_options
@click.pass_obj
def search_command(obj, text, limit, all_versions, as_json) -> None:
    """Full-text search over paragraphs: every word must occur (stemmed); best first.

    SQLite uses an FTS5 index, PostgreSQL its text search; the index is built on first use
    and brought up to date after an ingest.

    \b
    Examples:
      cami search IKI
      cami search "wild ass workshop" --json
    """
    from .audit.search import search

    hits = _reading(obj, lambda store: search(store, text, limit=limit, all_versions=all_versions))
    if as_json:
        _echo_json(h.as_dict() for h in hits)
        return
    _echo_table(
        [h.as_dict() for h in hits], ["document", "language", "label", "page", "snippet"], widths={"snippet": 100}
    )


@cli.command(name="show", context_settings=CONTEXT)
@click.argument("document")
@JSON_OPTION
@global_options
@click.pass_obj
def show_command(obj, document, as_json) -> None:
    """What one paper contains: cover fields, blocks and mentions per type, activities, failures, flags.

    DOCUMENT is a symbol, a sha256 (or its first 12 digits) or the file's path.

    \b
    Examples:
      cami show UNEP/CMS/CAMI3/Doc.7
      cami show UNEP/CMS/CAMI3/Doc.7 --json
    """
    from .audit.query import show

    summary = _reading(obj, lambda store: show(store, document))
    if as_json:
        _echo_json([summary.as_dict()])
        return
    for k, v in summary.cover.items():
        _echo(f"{k + ':':18} {_cell(v)}")
    _echo(f"{'flags:':18} {_cell(summary.flags)}")
    _echo(f"{'warnings:':18} {_cell(summary.warnings)}")
    _echo(f"{'blocks:':18} " + (", ".join(f"{k} {n}" for k, n in summary.block_counts.items()) or "-"))
    _echo(f"{'text sources:':18} " + (", ".join(f"{k} {n}" for k, n in summary.text_sources.items()) or "-"))
    for o in summary.ocr:
        confidence = "-" if o["mean_confidence"] is None else f"{o['mean_confidence']:.2f}"
        blocks = f"{o['blocks']} block{'s' if o['blocks'] != 1 else ''}"
        _echo(f"{'ocr:':18} {blocks} by {o['engine']} ({o['languages']}), mean confidence {confidence}")
    _echo(f"{'mentions:':18} " + (", ".join(f"{k} {n}" for k, n in summary.mention_counts.items()) or "-"))
    click.echo(f"\nactivities reported ({len(summary.activities)}):")
    for a in summary.activities:
        paras = ", ".join(sorted({str(s["paragraph"]) for s in a["sources"]}))
        _echo(f"  {a['activity_id']} {a['type']:11} {a['start'] or '-':10} {a['title']} (¶ {paras})")
    click.echo(f"\nfailures ({len(summary.failures)}):")
    for f in summary.failures:
        _echo(f"  {f['error_code']} {f['reason']} {f['stage']}: {f['message']}")


@cli.command(name="audit", context_settings=CONTEXT)
@click.option(
    "--out", type=click.Path(file_okay=False), default="outputs/audit", show_default=True, help="Folder for the files."
)
@global_options
@click.pass_obj
def audit_command(obj, out) -> None:
    """Write the audit page: DIR/audit.html (one offline file), audit.md and a CSV per table.

    The page holds the activity register with its sources (page, sentence, bounding box), a
    timeline by type, species and country coverage per report, funders with amounts, conflicts
    side by side, each report's own counts checked against what it lists, and Programme-of-Work
    coverage. The same database gives the same bytes.

    \b
    Examples:
      cami audit
      cami --db outputs/cami.sqlite audit --out /tmp/audit
    """
    from .audit.report import write_audit

    result = _reading(obj, lambda store: write_audit(store, out))
    for path in result.files:
        click.echo(str(path))


@cli.command(name="serve", context_settings=CONTEXT)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback: this machine only).")
@click.option("--port", type=int, default=8001, show_default=True, help="Port (0: any free port).")
@global_options
@click.pass_obj
def serve_command(obj, host, port) -> None:
    """Serve the database in Datasette (read-only), with a reconciliation endpoint for OpenRefine.

    Datasette 0.65.5 shows every table with its description, facets, full-text search over
    paragraphs and canned queries (documents by symbol, mentions with their document's symbol),
    and the activity register at /register/activities with facets on species, countries and
    funders.
    The same server answers the W3C Reconciliation Service API 0.2 at /reconcile (species,
    countries, organisations, documents, activities). A SQLite database is opened immutable and
    never written (its full-text index is brought up to date first, as `cami search` does); a
    PostgreSQL store is copied into a temporary SQLite file, removed on exit. Restart after an
    ingest to see new documents. Ctrl-C stops the server.

    \b
    Examples:
      cami serve
      cami --db outputs/cami.sqlite serve --port 8090
      cami --db postgresql://127.0.0.1/cami serve
    """
    from .serve.reconcile import ReconcileIndex
    from .serve.register import register_file
    from .serve.site import bind, make_datasette, run, served_file

    with ExitStack() as stack:
        try:
            store = _open_store(_settings(obj))
            try:
                index = ReconcileIndex.from_store(store)
                path, copy = stack.enter_context(served_file(store))  # a copy is removed on exit
                register = stack.enter_context(register_file(store))  # the activity facets
            finally:
                store.close()  # Datasette reads the file; the store is not held while serving
        except CamiError as e:
            _fail(e)
        try:
            sock = bind(host, port)
        except OSError as e:
            raise click.ClickException(f"cannot listen on {host}:{port} ({e.strerror}); pass another --port") from e
        base = f"http://{host}:{sock.getsockname()[1]}"
        if copy is not None:
            click.echo(f"serving a SQLite copy of the PostgreSQL store: {path}")
        click.echo(f"site: {base}/")
        click.echo(f"activity register: {base}/register/activities (facets on species, countries, funders)")
        click.echo(f"reconciliation endpoint: {base}/reconcile ({len(index.candidates)} candidates)")
        run(make_datasette(path, index, register), sock)


def main() -> None:
    """The console script: coded errors are one paragraph; a bug is E900 with the traceback only under -vv."""
    try:
        code = cli.main(prog_name="cami", standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(EXIT_INTERNAL)
    except click.ClickException as e:
        e.show()
        sys.exit(EXIT_USAGE if isinstance(e, click.UsageError) else e.exit_code)
    except CamiError as e:
        click.echo(f"error: {printable(e)}", err=True)
        sys.exit(EXIT_ERROR)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as e:
        logging.getLogger(__name__).debug("internal error", exc_info=True)
        err = InternalError(f"{type(e).__name__}: {e}")
        click.echo(f"error: {printable(err)}", err=True)
        sys.exit(EXIT_INTERNAL)
