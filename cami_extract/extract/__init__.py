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
from spacy.tokens import Doc

from ..errors import PatternFileError, PipelineConfigError, UnsupportedLanguage
from ..languages import LANGUAGES, language_of
from ..model import Mention, ParsedDocument
from ..text import normalise
from . import codes, codes_i18n, countries, cues, dates, funders, species, tokens  # noqa: F401 (codes_i18n, cues, tokens register)
from .document import Resolver
from .gazetteer import PATTERNS
from .tables import funding_cells

__all__ = ["DEFAULT_CONFIG", "Extractor"]

log = logging.getLogger(__name__)

# pipelines/ at the repository top is the package cami_extract.pipelines once installed (setup.py).
DEFAULT_CONFIG = Path(str(resources.files("cami_extract.pipelines").joinpath("default.cfg")))
# One pipeline per language of CMS papers; canonical values do not depend on the language.
LANGUAGE_CONFIGS = {"fr": "fr.cfg", "es": "es.cfg"}
assert set(LANGUAGES) == {"en", *LANGUAGE_CONFIGS}
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


class Extractor:
    """Loads the pipeline once; extracts mentions document by document."""

    def __init__(self, nlp: Language, *, batch_size: int = 256, config_dir: Path | None = None):
        self.nlp = nlp
        self.batch_size = batch_size
        self.components = tuple(EXTRACTORS)
        self.config_dir = config_dir or DEFAULT_CONFIG.parent
        self._pipelines: dict[str, tuple[Language, int]] = {nlp.lang or "en": (nlp, batch_size)}
        # What runs and documents record: the registered components of every language's pipeline,
        # read from their configs (the French and Spanish models load only when a paper needs them).
        versions = [pipeline_components(nlp.config)]
        for lang in sorted(LANGUAGE_CONFIGS):
            versions.append(pipeline_components(_read_config(self._config_path(lang))))
        self.version = " ".join(versions)

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
            self._pipelines[lang] = _load_pipeline(self._config_path(lang))
        return self._pipelines[lang]

    def _config_path(self, lang: str) -> Path:
        path = self.config_dir / LANGUAGE_CONFIGS[lang]
        return path if path.exists() else DEFAULT_CONFIG.parent / LANGUAGE_CONFIGS[lang]

    def extract(self, doc: ParsedDocument) -> list[Mention]:
        return next(self.extract_many([doc]))

    def extract_many(self, docs: Iterable[ParsedDocument]) -> Iterator[list[Mention]]:
        for parsed in docs:
            nlp, batch_size = self.pipeline(parsed.language)
            block_docs = [_made(nlp, normalise(b.text)) for b in parsed.blocks]
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


def _made(nlp: Language, text: str) -> Doc:
    """The block's Doc, its text kept (``hits.text_of``): spaCy's ``doc.text`` joins the tokens
    again on every access, and the tokenizer keeps the text exactly."""
    doc = nlp.make_doc(text)
    doc.user_data["cami_text"] = text
    return doc


def pipeline_components(config) -> str:
    """The registered factory (or the model a component is sourced from) of every component, in order.

    A behaviour change renames a factory (``cami_species_v3``), so runs and documents say which code ran.
    """
    nlp_section = config["nlp"]
    disabled = set(nlp_section.get("disabled", []))
    parts = []
    for name in nlp_section["pipeline"]:
        component = config["components"][name]
        part = component.get("factory") or f"{name}@{component.get('source')}"
        parts.append(part + ("(on demand)" if name in disabled else ""))
    return f"{nlp_section.get('lang', '?')}[{','.join(parts)}]"


def _read_config(path: Path):
    try:
        return spacy.util.load_config(path)
    except (OSError, ValueError, KeyError) as e:  # confection's ConfigValidationError is a ValueError
        # spaCy's messages span many lines; ours is one paragraph
        raise PipelineConfigError(
            f"cannot load the pipeline config ({' '.join(str(e).split())})", path=str(path)
        ) from e


def _load_pipeline(path: Path) -> tuple[Language, int]:
    config = _read_config(path)
    try:
        nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    except (OSError, ValueError, KeyError) as e:
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
    return nlp, batch_size
