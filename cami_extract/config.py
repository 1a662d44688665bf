"""One settings object, layered: package defaults < config file [cami] < CAMI_* environment < CLI.

Unknown keys are rejected so a typo never silently falls back to a default.
"""

from __future__ import annotations

import configparser
import math
import os
import resource
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from .errors import BadSetting

DEFAULT_DB = "outputs/cami.sqlite"
OCR_MODES = ("auto", "always", "never")  # the same tuple as parse.ocr.OCR_MODES (config imports no stage)

# Bounds of the limit settings. A wall-clock wait longer than a week is a mistake, and
# poll() takes milliseconds in a C int; a pool of more than 256 parser processes is one too.
MAX_TIMEOUT_S = 7 * 24 * 3600
MAX_WORKERS = 256
MIN_MEMORY_MB = 256  # below this a parser child cannot even import pdfplumber (measured: ~120 MiB)
RLIM_MAX = 2**63 - 1  # setrlimit takes a signed 64-bit value here
CHAR_SOURCES = ("playa", "pdfplumber")  # == parse.chars.CHAR_SOURCES (config imports nothing of parse)
# The wall clock guards against a child that hangs without using CPU; loops are the CPU limit's.
# A child gets a quarter of a core when the load average is 8 on 2 cores (measured while six
# sessions shared this machine), so the default wall-clock limit is 4 x the CPU limit.
WALL_PER_CPU = 4.0


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = DEFAULT_DB  # a SQLAlchemy URL or a SQLite file path
    workers: int = 0  # parser processes; 0 = one per core
    timeout: float = 0.0  # wall-clock seconds per file in the sandbox; 0 = WALL_PER_CPU x cpu_limit
    cpu_limit: int = 60  # CPU seconds per file in the sandbox (parse + extract)
    memory_limit: int = 1536  # MiB of address space per parser process
    recycle_after: int = 25  # files per parser process before a fresh one replaces it
    lock_timeout: float = 10.0  # seconds a second SQLite writer waits before E201
    extract: bool = True  # run entity extraction on English documents
    pipeline: str = ""  # spaCy pipeline config; "" = pipelines/default.cfg shipped with the package
    reconcile: bool = True  # update activities after each stored document
    reconcile_link_threshold: float = 0.55  # pair score that makes a candidate link (reconcile/merge.py)
    ocr: str = "auto"  # auto: OCR pages without a text layer; always: every page; never: none (E106)
    dask_scheduler: str = ""  # a Dask scheduler address: run the unit of work on that cluster
    dask_local: int = 0  # > 0: run it on a LocalCluster of this many worker processes
    char_source: str = "playa"  # where the parser reads characters: "playa" (fast) or "pdfplumber" (reference)

    def as_dict(self) -> dict:
        return asdict(self)


def _coerce(name: str, value: object) -> object:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    try:
        if kind == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off"):
                return False
            raise ValueError(value)
        if kind == "int":
            return int(str(value))
        if kind == "float":
            return float(str(value))
        return str(value)
    except (TypeError, ValueError) as e:
        raise BadSetting(f"setting {name!r} cannot be {value!r} (expects {kind})") from e


def load_settings(
    *,
    config_file: str | Path | None = None,
    env: dict[str, str] | None = None,
    overrides: dict[str, object] | None = None,
) -> Settings:
    names = {f.name for f in fields(Settings)}
    values: dict[str, object] = {}
    if config_file:
        parser = configparser.ConfigParser()
        if not parser.read(config_file):
            raise BadSetting(f"config file {config_file} cannot be read")
        if parser.has_section("cami"):
            for key, value in parser.items("cami"):
                if key not in names:
                    raise BadSetting(f"unknown setting {key!r} in {config_file} [cami]")
                values[key] = value
    environ: Mapping[str, str] = os.environ if env is None else env
    for name in names:
        key = f"CAMI_{name.upper()}"
        if key in environ:
            values[name] = environ[key]
    for name, override in (overrides or {}).items():
        if name not in names:
            raise BadSetting(f"unknown setting {name!r}")
        if override is not None:
            values[name] = override
    settings = replace(Settings(), **{k: _coerce(k, v) for k, v in values.items()})  # type: ignore[arg-type]
    check_limits(settings)
    if settings.char_source not in CHAR_SOURCES:
        raise BadSetting(f"setting 'char_source' cannot be {settings.char_source!r} (expects one of {CHAR_SOURCES})")
    if settings.ocr not in OCR_MODES:
        raise BadSetting(f"setting 'ocr' cannot be {settings.ocr!r} (expects one of {', '.join(OCR_MODES)})")
    return settings


def check_limits(settings: Settings) -> None:
    """Every limit finite, in range and settable here, so a bad value fails once, up front (E401)."""
    problems = []
    if not 0 <= settings.workers <= MAX_WORKERS:
        problems.append(f"workers must be 0 (one per core) to {MAX_WORKERS}, not {settings.workers}")
    if not (math.isfinite(settings.timeout) and 0 <= settings.timeout <= MAX_TIMEOUT_S):
        problems.append(f"timeout must be 0 (4 x cpu_limit) to {MAX_TIMEOUT_S} seconds, not {settings.timeout}")
    if not (math.isfinite(settings.lock_timeout) and 0 <= settings.lock_timeout <= MAX_TIMEOUT_S):
        problems.append(f"lock_timeout must be 0 to {MAX_TIMEOUT_S} seconds, not {settings.lock_timeout}")
    if settings.recycle_after < 1:
        problems.append(f"recycle_after must be at least 1 file, not {settings.recycle_after}")
    cpu_hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    cpu_max = min(RLIM_MAX, MAX_TIMEOUT_S) if cpu_hard == resource.RLIM_INFINITY else min(cpu_hard, MAX_TIMEOUT_S)
    if not 0 < settings.cpu_limit <= cpu_max:
        problems.append(f"cpu_limit must be 1 to {cpu_max} seconds here, not {settings.cpu_limit}")
    as_hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    memory_max = (RLIM_MAX if as_hard == resource.RLIM_INFINITY else as_hard) // (1024 * 1024)
    if not MIN_MEMORY_MB <= settings.memory_limit <= memory_max:
        problems.append(
            f"memory_limit must be {MIN_MEMORY_MB} to {memory_max} MiB here (setrlimit), not {settings.memory_limit}"
        )
    if not 0 <= settings.dask_local <= MAX_WORKERS:
        problems.append(f"dask_local must be 0 (off) to {MAX_WORKERS} workers, not {settings.dask_local}")
    if settings.dask_local and settings.dask_scheduler:
        problems.append("give dask_scheduler or dask_local, not both")
    if problems:
        raise BadSetting("; ".join(problems) + ".")


def wall_clock_limit(settings: Settings) -> float:
    """Seconds a file may take in the sandbox before it is killed (and retried once alone)."""
    return settings.timeout or WALL_PER_CPU * settings.cpu_limit
