"""One settings object, layered: package defaults < config file [cami] < CAMI_* environment < CLI.

Unknown keys are rejected so a typo never silently falls back to a default.
"""

from __future__ import annotations

import configparser
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from .errors import BadSetting

DEFAULT_DB = "outputs/cami.sqlite"
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
    if settings.workers < 0 or settings.timeout < 0 or settings.memory_limit < 256 or settings.cpu_limit <= 0:
        raise BadSetting("workers and timeout must be >= 0, cpu_limit > 0, memory_limit >= 256 MiB")
    if settings.char_source not in CHAR_SOURCES:
        raise BadSetting(f"setting 'char_source' cannot be {settings.char_source!r} (expects one of {CHAR_SOURCES})")
    return settings


def wall_clock_limit(settings: Settings) -> float:
    """Seconds a file may take in the sandbox before it is killed (and retried once alone)."""
    return settings.timeout or WALL_PER_CPU * settings.cpu_limit
