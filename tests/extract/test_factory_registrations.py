"""The registry names code that exists: a behaviour change shows in review as a new factory name.

Like spaCy's own tests/test_factory_registrations.py: the registered cami factories, with what
each assigns and requires and the extractor name its mentions carry, are compared with the
snapshot in factory_registrations.json. Change the snapshot in the same commit as the code.
"""

import json
from pathlib import Path

from spacy.language import Language
from spacy.util import load_config

from cami_extract.extract import DEFAULT_CONFIG, codes, countries, dates, funders, species

SNAPSHOT = Path(__file__).with_name("factory_registrations.json")
MODULES = (codes, countries, dates, funders, species)


def registry() -> dict:
    found = {}
    for module in MODULES:
        meta = Language.get_factory_meta(module.NAME)
        found[module.NAME] = {
            "extractor": module.EXTRACTOR,
            "assigns": sorted(meta.assigns),
            "requires": sorted(meta.requires),
        }
    return found


def test_registered_factories_match_the_snapshot():
    assert registry() == json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def test_factory_and_extractor_names_derive_from_one_version():
    for module in MODULES:
        assert module.NAME.endswith(f"_v{module.VERSION}") and module.EXTRACTOR.endswith(f".v{module.VERSION}")


def test_the_shipped_pipeline_uses_registered_factories_only():
    config = load_config(DEFAULT_CONFIG)
    factories = {c["factory"] for c in config["components"].values() if "factory" in c}
    ours = {f for f in factories if f.startswith("cami_")}
    assert ours == set(registry()), "pipelines/default.cfg names a factory that is not registered, or misses one"
