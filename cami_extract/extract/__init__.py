"""Entity extraction: species, countries, dates, funders and document codes.

    extractor = Extractor.load()              # pipelines/default.cfg, once per process
    mentions = extractor.extract(parsed_doc)  # list[Mention], offsets into Block.text

The spaCy pipeline (declared in pipelines/default.cfg) runs block by block through
``nlp.pipe``; the document-level :class:`~.document.Resolver` then applies what needs the
whole document (definitions, abbreviations, acronyms, the issue date).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import spacy
import srsly
from spacy.language import Language

from ..errors import PatternFileError, PipelineConfigError
from ..model import Mention, ParsedDocument
from . import codes, countries, dates, funders, species
from .document import Resolver
from .gazetteer import PATTERNS
from .tables import funding_cells
from .text import normalise

__all__ = ["DEFAULT_CONFIG", "Extractor"]

log = logging.getLogger(__name__)

# pipelines/ at the repository top is the package cami_extract.pipelines once installed (setup.py).
DEFAULT_CONFIG = Path(str(resources.files("cami_extract.pipelines").joinpath("default.cfg")))
EXTRACTORS = (species.EXTRACTOR, countries.EXTRACTOR, dates.EXTRACTOR, funders.EXTRACTOR, codes.EXTRACTOR)


@spacy.registry.misc("cami.patterns.v1")
def read_patterns(name: str) -> list[dict]:
    """A JSONL pattern file from the package's patterns/ folder, validated."""
    path = PATTERNS / name
    rows = list(srsly.read_jsonl(path))
    for i, row in enumerate(rows, 1):
        if not {"label", "pattern"} <= set(row):
            raise PatternFileError(f"line {i} needs 'label' and 'pattern'; got keys {sorted(row)}", path=str(path))
    return rows


def pipeline_components(nlp: Language) -> str:
    """The registered factory of every component, in order: what a run records as its extractor version.

    A behaviour change renames a factory (``cami_species_v3``), so runs and documents say which code ran.
    """
    factories = []
    for name in nlp.component_names:
        factory = nlp.get_pipe_meta(name).factory
        factories.append(factory if name not in nlp.disabled else f"{factory}(on demand)")
    return f"spacy-{nlp.lang}[{','.join(factories)}]"


class Extractor:
    """Loads the pipeline once; extracts mentions document by document."""

    def __init__(self, nlp: Language, *, batch_size: int = 256):
        self.nlp = nlp
        self.batch_size = batch_size
        self.components = tuple(EXTRACTORS)
        self.version = pipeline_components(nlp)

    @classmethod
    def load(cls, config_path: str | None = None) -> Extractor:
        path = Path(config_path) if config_path else DEFAULT_CONFIG
        try:
            config = spacy.util.load_config(path)
            nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
        except (OSError, ValueError, KeyError) as e:  # confection's ConfigValidationError is a ValueError
            # spaCy's messages span many lines; ours is one paragraph
            raise PipelineConfigError(
                f"cannot load the pipeline config ({' '.join(str(e).split())})", path=str(path)
            ) from e
        # Only the rule components declared under [initialize.components] are initialised:
        # nlp.initialize() would re-initialise the sourced statistical NER and lose its weights.
        init = config.get("initialize", {}).get("components", {})
        for name, settings in init.items():
            resolved = spacy.registry.resolve({"x": settings})["x"]
            component: Any = nlp.get_pipe(name)  # our rule components, each with an initialize()
            component.initialize(list, nlp=nlp, **resolved)
        batch_size = int(config["nlp"].get("batch_size", 256) or 256)
        log.info("loaded pipeline %s: active %s, disabled %s", path, nlp.pipe_names, nlp.disabled)
        return cls(nlp, batch_size=batch_size)

    def extract(self, doc: ParsedDocument) -> list[Mention]:
        return next(self.extract_many([doc]))

    def extract_many(self, docs: Iterable[ParsedDocument]) -> Iterator[list[Mention]]:
        for parsed in docs:
            block_docs = [self.nlp.make_doc(normalise(b.text)) for b in parsed.blocks]
            # table cells under a "Funding" header: the header is their funding cue
            for bi, cells in funding_cells(parsed.blocks).items():
                block_docs[bi]._.cami_funding_cells = cells
            spacy_docs = list(self.nlp.pipe(block_docs, batch_size=self.batch_size))
            resolver = Resolver(parsed.blocks, spacy_docs, issue_date=parsed.cover.issue_date if parsed.cover else None)
            mentions = resolver.mentions()
            if resolver.rejections:
                log.debug("%s: rejected %s", parsed.path, dict(resolver.rejections))
            yield mentions
