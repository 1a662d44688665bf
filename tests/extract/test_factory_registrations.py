"""The registry names code that exists: a behaviour change shows in review as a new factory name.

Like spaCy's own tests/test_factory_registrations.py: the registered cami factories, with what
each assigns and requires and the extractor name its mentions carry, are compared with the
snapshot in factory_registrations.json. Change the snapshot in the same commit as the code.
"""

import json
from pathlib import Path

from spacy.language import Language
from spacy.util import load_config

from cami_extract.extract import DEFAULT_CONFIG, codes, codes_i18n, countries, cues, dates, funders, species

SNAPSHOT = Path(__file__).with_name("factory_registrations.json")
MODULES = (codes, countries, dates, funders, species)
ALL_FACTORIES = (*MODULES, codes_i18n, cues)
# codes_i18n finds codes with codes' grammar: its mentions say codes.EXTRACTOR; cues marks spans, no mentions
EXTRACTOR_OF = {codes_i18n: codes.EXTRACTOR}


def registry() -> dict:
    found = {}
    for module in ALL_FACTORIES:
        meta = Language.get_factory_meta(module.NAME)
        found[module.NAME] = {
            "extractor": getattr(module, "EXTRACTOR", EXTRACTOR_OF.get(module)),
            "assigns": sorted(meta.assigns),
            "requires": sorted(meta.requires),
        }
    return found


def test_registered_factories_match_the_snapshot():
    assert registry() == json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def test_factory_and_extractor_names_derive_from_one_version():
    for module in MODULES:
        assert module.NAME.endswith(f"_v{module.VERSION}") and module.EXTRACTOR.endswith(f".v{module.VERSION}")


def test_the_shipped_pipelines_use_registered_factories_only():
    ours: set[str] = set()
    for path in sorted(DEFAULT_CONFIG.parent.glob("*.cfg")):
        config = load_config(path)
        factories = {c["factory"] for c in config["components"].values() if "factory" in c}
        for factory in factories:
            if factory.startswith("cami_"):
                assert factory in registry(), f"{path.name} names {factory}, which is not registered"
                ours.add(factory)
    assert ours == set(registry()), "a registered factory is in no shipped pipeline"
