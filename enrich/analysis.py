"""Stateless text analysis: language, sentiment (whole text and towards each brand), entities.

``Analyzer.analyze`` takes a batch of ``TextItem`` and runs spaCy's ``nlp.pipe`` once per language;
results do not depend on how items are batched. ``enrich.pipeline.Enricher`` adds the stateful
parts (stories, author influence) on top, and ``veille enrich`` uses the Analyzer alone.

French sentiment combines the learned classifier (trained on reviews, subtitles and news sentences)
with the lexicon (enrich/sentiment_fr.py), strongest evidence first (enrich/verdict.py):
  0. a post that only asks the readers something, with no opinion word, is neutral;
  1. in a post (not a long review), a *stated verdict* of the lexicon (an idiom such as "petit
     retour positif", a fix such as "a réglé mon souci", a complaint word said absent such as
     "zéro coupure") decides against the classifier when the whole lexicon leans the same way:
     problem nouns around a fix ("souci", "débit") are the topic, not the verdict;
  2. the classifier unsure and the lexicon clear: the lexicon decides;
  3. otherwise the classifier, which reads a post without its small talk ("Vous en pensez quoi ?").
Texts naming several parties score each brand from the lexicon of its clauses (enrich/targeting.py).
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import pairwise
from typing import NamedTuple

from spacy.attrs import ORTH
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from core.config.nlp import Nlp
from core.config.schema import Config
from core.mention import BrandSentiment, Entity, Rating, Sentiment, SentimentLabel
from core.text import fold
from enrich.classifier import SentimentClassifier
from enrich.language import OTHER, LanguageDetector
from enrich.lexicon import FrenchLexicon
from enrich.models import BRAND, PRODUCT, Catalog, Pipelines, load_pipelines
from enrich.parties import other_parties
from enrich.sentiment_en import EnglishSentiment
from enrich.sentiment_fr import FrenchSentiment, normalize
from enrich.targeting import Bounds, Parsed, brand_parts, sentence_units, target_scores
from enrich.verdict import STATED_MAX_CHARS, Group, by_sign, score_label, signed_cues, spoken

logger = logging.getLogger(__name__)

MAX_CHARS = 100_000  # longer texts are cut: a post is never that long, a scraping accident is
MAX_ENTITIES = 50
# A star rating decides the label: >= 62.5% of the scale is positive, <= 37.5% negative (on 1-5:
# 4 and 5 positive, 3 neutral, 1 and 2 negative).
RATING_POSITIVE, RATING_NEGATIVE = 0.625, 0.375


@dataclass(frozen=True)
class TextItem:
    text: str
    lang: str | None = None  # known language (fr/en/other): skips detection
    lang_hint: str | None = None  # the source's language, a prior for detection
    brands: tuple[str, ...] = ()  # brands to score towards; default: the brands the text names
    rating: Rating | None = None


@dataclass
class TextAnalysis:
    lang: str
    sentiment: Sentiment | None
    brand_sentiments: list[BrandSentiment] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)


class _Ent(NamedTuple):
    start: int
    end: int
    label_: str
    ent_id_: str
    text: str


@dataclass
class _Pending:
    """A French text waiting for the classifier: its result is filled in by ``_classify``."""

    result: TextAnalysis
    item: TextItem
    text: str
    polarity: float  # the lexicon's
    groups: dict[str, list[Group]]
    # Texts naming several parties: each brand's score from the lexicon of its parts (None: not named)
    fixed: dict[str, float | None] | None
    # The lexicon's stated verdicts (idioms, fixes) over some spans of the text, -1..1; computed
    # only when the classifier and the lexicon disagree.
    cues: Callable[[list[Bounds]], float]
    sents: list[Bounds]


# spaCy's rule-based sentencizer, run on the words already read out of the doc: the same bounds
# (a sentence starts at the first word after a run of . ! ? … that is not punctuation itself), without
# the pipeline component that builds a Token object per word. The training script splits with the
# component; tests/enrich/test_targeting.py checks both agree.
_PUNCT_CHARS = frozenset(Sentencizer.default_punct_chars)


@lru_cache(maxsize=65_536)
def _is_punct(word: str) -> bool:
    # spaCy's lexical ``is_punct``: every character in a Unicode punctuation category.
    return all(unicodedata.category(char).startswith("P") for char in word)


def sentence_bounds(words: Sequence[str]) -> list[Bounds]:
    """Sentence (start, end) token offsets, as spaCy's ``sentencizer`` would set them."""
    if not words:
        return []
    starts = [0]
    seen_period = False
    for i, word in enumerate(words):
        in_chars = word in _PUNCT_CHARS
        if seen_period and not in_chars and not _is_punct(word):
            starts.append(i)
            seen_period = False
        elif in_chars:
            seen_period = True
    return list(pairwise([*starts, len(words)]))


def label_for(score: float, neutral_band: float) -> SentimentLabel:
    if score >= neutral_band:
        return "positive"
    if score <= -neutral_band:
        return "negative"
    return "neutral"


def rating_label(rating: Rating) -> SentimentLabel:
    if rating.normalized >= RATING_POSITIVE:
        return "positive"
    if rating.normalized <= RATING_NEGATIVE:
        return "negative"
    return "neutral"


class Analyzer:
    """Models loaded once; ``analyze`` a batch of texts."""

    def __init__(self, settings: Nlp, catalog: Catalog, pipelines: Pipelines) -> None:
        self.settings = settings
        self.catalog = catalog
        self.pipelines = pipelines
        self.detector = LanguageDetector()
        lexicon = FrenchLexicon.load(
            lambda text: [t.text for t in pipelines.fr.make_doc(text)], pipelines.lemmatize
        )
        self.french = FrenchSentiment(lexicon)
        self.english = EnglishSentiment()
        # French texts and the parts of them about each brand are labelled by the learned model;
        # the lexicon stays for explanations and the English side keeps VADER.
        self.classifier = SentimentClassifier.load()

    @classmethod
    def from_config(cls, config: Config, extra_brands: Iterable[str] = ()) -> Analyzer:
        """``extra_brands``: names to tag and score towards besides the configured ones."""
        catalog = Catalog.from_brands(config.brands, extra_brands)
        return cls(config.nlp, catalog, load_pipelines(config.nlp, catalog))

    def analyze(self, items: Sequence[TextItem]) -> list[TextAnalysis]:
        texts = [item.text[:MAX_CHARS] for item in items]
        langs = [
            item.lang if item.lang in ("fr", "en", OTHER) else self.detector.detect(text, item.lang_hint)
            for item, text in zip(items, texts, strict=True)
        ]
        results: list[TextAnalysis | None] = [None] * len(items)
        pending: list[_Pending] = []
        # Other languages go through the English pipeline: by default only the brand ruler runs
        # there, and French NER on Spanish text tags noise. Each doc is read as it comes out of
        # the pipe and dropped: a batch of parsed docs held at once only costs memory and cache.
        for nlp, wanted in ((self.pipelines.fr, ("fr",)), (self.pipelines.en, ("en", OTHER))):
            indices = [i for i, lang in enumerate(langs) if lang in wanted]
            piped = nlp.pipe((texts[i] for i in indices), batch_size=self.settings.batch_size)
            for i, doc in zip(indices, piped, strict=True):
                results[i] = self._analyze_doc(items[i], langs[i], doc, texts[i], pending)
        self._classify(pending)
        return [result for result in results if result is not None]

    def _analyze_doc(
        self, item: TextItem, lang: str, doc: Doc, text: str, pending: list[_Pending]
    ) -> TextAnalysis:
        """``text`` is ``doc.text`` (which spaCy rebuilds token by token on every access)."""
        # Read each entity's attributes once: a Span's ``ent_id_`` and ``text`` walk its tokens.
        ents = [_Ent(ent.start, ent.end, ent.label_, ent.ent_id_, ent.text) for ent in doc.ents]
        entities = self._entities(ents)
        if lang not in ("fr", "en"):
            return TextAnalysis(lang, self._rating_only(item.rating), [], entities)
        strings = doc.vocab.strings
        words = [strings[orth] for orth in doc.to_array(ORTH).tolist()]
        # Parties NER missed (handles, domains, names where a company is expected) count as others.
        # A person, place or other name NER gave where a company is expected ("celui de Nespresso",
        # "@sosh_fr", "Free m'a lâché") is a party too: only catalog and ORG spans are taken.
        known = [ent for ent in ents if ent.ent_id_ or ent.label_ == "ORG"]
        people = [(ent.start, ent.end) for ent in ents if ent.label_ in ("PER", "LOC")]
        found = other_parties(words, [(ent.start, ent.end) for ent in known], people) if words else []
        if found and len(known) < len(ents):
            claimed = {i for start, end, _ in found for i in range(start, end)}
            known += [e for e in ents if e not in known and claimed.isdisjoint(range(e.start, e.end))]
            known.sort()
        parties = [*known, *(_Ent(start, end, "ORG", "", text) for start, end, text in found)]
        if found:
            parties.sort()  # in text order: who is named first and last matters
        parsed = Parsed(
            words=words,
            sents=sentence_bounds(words),
            ents=[(ent.start, ent.end, self._owner_of(ent)) for ent in parties],
        )
        targets = list(item.brands) or self._named_brands(ents)
        several = len({owner for _, _, owner in parsed.ents if owner is not None}) > 1
        if lang == "en":
            return self._english(item, doc, parsed, targets, entities)
        result = TextAnalysis(lang, None, [], entities)
        scorer = self.french.scorer(words)
        cue_scorer: list[Callable[[int, int], float]] = []

        def cues(spans: list[Bounds]) -> float:
            if len(text) > STATED_MAX_CHARS:
                return 0.0
            if not cue_scorer:  # built on first need: most texts never ask
                cue_scorer.append(self.french.scorer(words, cues_only=True))
            return normalize(sum(cue_scorer[0](*bounds) for bounds in spans))

        sentence_sums = [scorer(*sent) for sent in parsed.sents]
        polarity = normalize(sum(sentence_sums))
        if not polarity and self._asks(text, words):
            return self._finish(
                item, result, self.classifier.name, 0.0, "neutral", [(b, 0.0, "neutral") for b in targets]
            )
        text = spoken(doc, parsed.sents, sentence_sums, text, partial(self._small_talk, words))
        if several:
            # Clauses cut around a name ("mais Orbitel est top") are not what the classifier
            # learnt from (whole reviews and sentences): on the contrastive bench it got 37% of
            # them right against 72% for the lexicon, which scores words, not documents.
            fixed = target_scores(parsed, targets, scorer, normalize, self.settings.neutral_band)
            pending.append(_Pending(result, item, text, polarity, {}, fixed, cues, parsed.sents))
            return result
        units = sentence_units(parsed)
        groups = {}
        for brand in targets:
            parts = brand_parts(parsed, brand)
            # A brand that every sentence speaks for gets the whole text's verdict: one text to
            # classify, not two (most mentions name one brand).
            whole = [b for b, sign in parts if sign > 0] == units
            if whole:
                groups[brand] = [Group(text, 1, polarity, parsed.sents)]
            else:
                groups[brand] = by_sign(doc, parts, scorer)
        pending.append(_Pending(result, item, text, polarity, groups, None, cues, parsed.sents))
        return result

    def _small_talk(self, words: list[str], bounds: Bounds) -> bool:
        """A sentence addressed to the readers (requests_fr.tsv): "Vous en pensez quoi ?"."""
        return self.french.lexicon.asks([fold(word) for word in words[bounds[0] : bounds[1]]])

    def _asks(self, text: str, words: list[str]) -> bool:
        """A post that asks the readers something and holds no opinion word (rule 0 above)."""
        if "?" not in text or len(text) > STATED_MAX_CHARS:
            return False
        return self._small_talk(words, (0, len(words)))

    def _english(
        self, item: TextItem, doc: Doc, parsed: Parsed, targets: list[str], entities: list[Entity]
    ) -> TextAnalysis:
        band = self.settings.neutral_band
        model = self.english.model
        sums: dict[tuple[int, int], float] = {}  # a brand's sentences were scored for the text

        def raw(start: int, end: int) -> float:
            if (start, end) not in sums:
                sums[start, end] = self.english.raw(doc[start:end].text)
            return sums[start, end]

        sentence_sums = [raw(*sent) for sent in parsed.sents]  # long texts: VADER per sentence is 8x faster
        score = round(normalize(sum(sentence_sums)), 4)
        label = label_for(score, band)
        found = target_scores(parsed, targets, raw, normalize, band)
        brand_scores = []
        for brand in targets:
            # No sentence names the brand (matched on a query term): the whole text speaks for it.
            value = found[brand]
            brand_score = score if value is None else round(value, 4)
            brand_scores.append((brand, brand_score, label_for(brand_score, band)))
        return self._finish(item, TextAnalysis("en", None, [], entities), model, score, label, brand_scores)

    def _classify(self, pending: list[_Pending]) -> None:
        """Label the French texts of a batch and their brand parts in one pass of the classifier."""
        if not pending:
            return
        texts: dict[str, int] = {}
        polarities: list[float] = []
        for job in pending:
            if texts.setdefault(job.text, len(texts)) == len(polarities):
                polarities.append(job.polarity)
            for groups in job.groups.values():
                for text, _, polarity, _ in groups:
                    if texts.setdefault(text, len(texts)) == len(polarities):
                        polarities.append(polarity)
        probabilities = self.classifier.probabilities(list(texts), polarities)
        model = self.classifier.name
        band = self.settings.neutral_band
        for job in pending:
            whole = probabilities[texts[job.text]]
            score, label = score_label(whole, job.polarity, partial(job.cues, job.sents))
            brand_scores = []
            for brand, value in (job.fixed or {}).items():
                if value is None:  # the text never names it: the whole text speaks for it
                    brand_scores.append((brand, score, label))
                else:
                    brand_scores.append((brand, round(value, 4), label_for(value, band)))
            for brand, groups in job.groups.items():
                if not groups:
                    brand_scores.append((brand, score, label))
                    continue
                # A brand on the losing side of a comparison gets the clause's polarity reversed.
                rows = [probabilities[texts[g.text]][:: -1 if g.sign < 0 else 1] for g in groups]
                polarity = sum(g.sign * g.polarity for g in groups) / len(groups)
                brand_cues = partial(signed_cues, job.cues, groups)
                brand_scores.append((brand, *score_label(sum(rows) / len(rows), polarity, brand_cues)))
            self._finish(job.item, job.result, model, score, label, brand_scores)

    @staticmethod
    def _finish(
        item: TextItem,
        result: TextAnalysis,
        model: str,
        score: float,
        label: SentimentLabel,
        brand_scores: list[tuple[str, float, SentimentLabel]],
    ) -> TextAnalysis:
        if item.rating is not None:
            model, label = f"{model}+rating", rating_label(item.rating)
            brand_scores = [(brand, value, label) for brand, value, _ in brand_scores]
        result.sentiment = Sentiment(label=label, score=score, model=model)
        result.brand_sentiments = [
            BrandSentiment(brand=b, label=lab, score=s, model=model) for b, s, lab in brand_scores
        ]
        return result

    @staticmethod
    def _rating_only(rating: Rating | None) -> Sentiment | None:
        # Unsupported language: no text score, but a review's stars still say how it went.
        if rating is None:
            return None
        return Sentiment(
            label=rating_label(rating), score=round(2 * rating.normalized - 1, 4), model="rating"
        )

    def _owner_of(self, ent: _Ent) -> str | None:
        if ent.ent_id_ and ent.ent_id_ in self.catalog.owner:
            return self.catalog.owner[ent.ent_id_]
        # An organisation NER found but nobody configured is still "someone else" in a sentence.
        return f"ORG:{ent.text.lower()}" if ent.label_ == "ORG" else None

    def _named_brands(self, ents: list[_Ent]) -> list[str]:
        out: list[str] = []
        for ent in ents:
            if ent.label_ in (BRAND, PRODUCT) and ent.ent_id_:
                owner = self.catalog.owner.get(ent.ent_id_)
                if owner and owner not in out and self.catalog.label.get(owner) == BRAND:
                    out.append(owner)
        return out

    @staticmethod
    def _entities(ents: list[_Ent]) -> list[Entity]:
        seen: set[tuple[str, str]] = set()
        out: list[Entity] = []
        for ent in ents:
            canonical = ent.ent_id_ or None
            key = (ent.label_, canonical or ent.text.lower())
            if key in seen or not ent.text.strip():
                continue
            seen.add(key)
            out.append(Entity(text=ent.text, label=ent.label_, canonical=canonical))
            if len(out) >= MAX_ENTITIES:
                break
        return out
