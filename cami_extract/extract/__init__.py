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
from pathlib import Path
from typing import Any

import spacy
import srsly
from spacy.language import Language

from ..errors import UnsupportedLanguage
from ..languages import LANGUAGES, language_of
from ..model import Mention, ParsedDocument
from . import codes, codes_i18n, countries, dates, funders, species  # noqa: F401 (codes_i18n registers its factory)
from .document import Resolver
from .gazetteer import PATTERNS
from .tables import funding_cells
from .text import normalise

__all__ = ["DEFAULT_CONFIG", "Extractor"]

log = logging.getLogger(__name__)

DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "pipelines" / "default.cfg"
# One pipeline per language of CMS papers; canonical values do not depend on the language.
LANGUAGE_CONFIGS = {"fr": "fr.cfg", "es": "es.cfg"}
assert set(LANGUAGES) == {"en", *LANGUAGE_CONFIGS}
VERSION = "cami-extract-ner/3"
EXTRACTORS = (species.EXTRACTOR, countries.EXTRACTOR, dates.EXTRACTOR, funders.EXTRACTOR, codes.EXTRACTOR)


@spacy.registry.misc("cami.patterns.v1")
def read_patterns(name: str) -> list[dict]:
    """A JSONL pattern file from the package's patterns/ folder, validated."""
    path = PATTERNS / name
    rows = list(srsly.read_jsonl(path))
    for i, row in enumerate(rows, 1):
        if not {"label", "pattern"} <= set(row):
            raise ValueError(f"E203: {path} line {i} needs 'label' and 'pattern'; got keys {sorted(row)}.")
    return rows


class Extractor:
    """Loads the pipeline once; extracts mentions document by document."""

    version = VERSION

    def __init__(self, nlp: Language, *, batch_size: int = 256, config_dir: Path | None = None):
        self.nlp = nlp
        self.batch_size = batch_size
        self.components = tuple(EXTRACTORS)
        self.config_dir = config_dir or DEFAULT_CONFIG.parent
        self._pipelines: dict[str, tuple[Language, int]] = {nlp.lang or "en": (nlp, batch_size)}

    @classmethod
    def load(cls, config_path: str | None = None) -> Extractor:
        path = Path(config_path) if config_path else DEFAULT_CONFIG
        nlp, batch_size = _load_pipeline(path)
        return cls(nlp, batch_size=batch_size, config_dir=path.parent)

    def supports(self, language: str | None) -> bool:
        return language_of(language) in LANGUAGES

    def pipeline(self, language: str | None) -> tuple[Language, int]:
        """The pipeline for a document's language, loaded on first use (French and Spanish
        pipelines cost nothing to a run of English papers)."""
        lang = language_of(language) or "en"
        if lang not in self._pipelines:
            if lang not in LANGUAGE_CONFIGS:
                raise UnsupportedLanguage(
                    f"no extraction pipeline for language {lang!r}; known: {', '.join(LANGUAGES)}."
                )
            path = self.config_dir / LANGUAGE_CONFIGS[lang]
            if not path.exists():
                path = DEFAULT_CONFIG.parent / LANGUAGE_CONFIGS[lang]
            self._pipelines[lang] = _load_pipeline(path)
        return self._pipelines[lang]

    def extract(self, doc: ParsedDocument) -> list[Mention]:
        return next(self.extract_many([doc]))

    def extract_many(self, docs: Iterable[ParsedDocument]) -> Iterator[list[Mention]]:
        for parsed in docs:
            nlp, batch_size = self.pipeline(parsed.language)
            block_docs = [nlp.make_doc(normalise(b.text)) for b in parsed.blocks]
            # table cells under a "Funding" header: the header is their funding cue
            for bi, cells in funding_cells(parsed.blocks).items():
                block_docs[bi]._.cami_funding_cells = cells
            spacy_docs = list(nlp.pipe(block_docs, batch_size=batch_size))
            resolver = Resolver(
                parsed.blocks,
                spacy_docs,
                issue_date=parsed.cover.issue_date if parsed.cover else None,
                language=nlp.lang or "en",
            )
            mentions = resolver.mentions()
            if resolver.rejections:
                log.debug("%s: rejected %s", parsed.path, dict(resolver.rejections))
            yield mentions


def _load_pipeline(path: Path) -> tuple[Language, int]:
    try:
        config = spacy.util.load_config(path)
    except Exception as e:
        raise RuntimeError(
            f"E210: cannot read pipeline config {path}: {e}. Pass a valid --config or restore pipelines/default.cfg."
        ) from e
    nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    # Only the rule components declared under [initialize.components] are initialised:
    # nlp.initialize() would re-initialise the sourced statistical NER and lose its weights.
    init = config.get("initialize", {}).get("components", {})
    for name, settings in init.items():
        resolved = spacy.registry.resolve({"x": settings})["x"]
        component: Any = nlp.get_pipe(name)  # our rule components, each with an initialize()
        component.initialize(list, nlp=nlp, **resolved)
    batch_size = int(config["nlp"].get("batch_size", 256) or 256)
    log.info("loaded pipeline %s: active %s, disabled %s", path, nlp.pipe_names, nlp.disabled)
    return nlp, batch_size
