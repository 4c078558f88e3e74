"""The enrich stage's fast paths give the results of their plain definitions."""

from __future__ import annotations

import unicodedata
import zlib

import numpy as np
import spacy

from core.text import _REPLACE, fold
from enrich.analysis import Analyzer, TextItem
from enrich.stories import _A, _B, _MASK, _PRIME, minhash
from enrich.text import words

TRICKY = [
    "Vélora’s box ʼplanteʼ ‘encore` !",
    "👍🏽👨\u200d👩\u200d👧 super\ufe0f \ufe0eservice",
    "CAFÉS LANTIER À L'ŒUVRE — ﬁbre ½ ²",
    "e\u0301te\u0301 n\u0303 a\u0328 \u034f combining",
    "Ünïcödé ĳ ǅ ﬀ ℌ Ⅻ ｆｕｌｌ",
    "",
]


def _fold_by_definition(text: str) -> str:
    text = text.translate(str.maketrans(_REPLACE))
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def test_fold_matches_its_definition():
    for text in TRICKY:
        assert fold(text) == _fold_by_definition(text), text
    assert fold("Vélora’s") == "velora's"


def test_minhash_matches_the_modulo_formula():
    text = " ".join(TRICKY) + " Velora annonce une hausse de 3 euros de ses forfaits fibre au 1er juin."
    tokens = words(text)
    shingles = {" ".join(tokens[i : i + 3]) for i in range(len(tokens) - 2)}
    hashes = np.array([zlib.crc32(s.encode()) for s in shingles], dtype=np.uint64)
    expected = ((np.outer(hashes, _A) + _B) % np.uint64(_PRIME) & np.uint64(_MASK)).min(axis=0)
    signature = minhash(text)
    assert signature is not None
    assert signature.tolist() == expected.astype(np.uint32).tolist()


def test_sentence_slices_score_like_whole_sentences(analyzer: Analyzer):
    text = (
        "Le SAV de Velora est NUL, ils ne répondent jamais !! Par contre Orbitel est top. Pas cher du tout."
    )
    tokens = [t.text for t in analyzer.pipelines.fr.make_doc(text)]
    second, third = tokens.index("Par"), tokens.index("Pas")
    score = analyzer.french.scorer(tokens)
    for start, end in [(0, len(tokens)), (0, second), (second, third), (third, len(tokens)), (3, 7), (5, 5)]:
        assert score(start, end) == analyzer.french.raw(tokens[start:end])
    assert score(0, second) < 0 < score(second, third)


def test_brand_tags_do_not_grow_the_ner(analyzer: Analyzer, config):
    # The ruler's spans reach the NER under a label it knows: its output layer keeps the trained
    # classes (new labels would add untrained ones and slow every text down), and the entities still
    # come out with the catalog's labels.
    trained = spacy.load(config.nlp.model_fr).get_pipe("ner").moves.n_moves
    text = "Ma VeloBox Pro de Velora plante, je passe chez Orbitel à Lyon."
    result = analyzer.analyze([TextItem(text=text)])[0]
    assert analyzer.pipelines.fr.get_pipe("ner").moves.n_moves == trained
    labels = {(e.label, e.canonical) for e in result.entities}
    assert {("PRODUCT", "VeloBox Pro"), ("BRAND", "Velora"), ("COMPETITOR", "Orbitel")} <= labels
    assert any(e.label == "LOC" and e.text == "Lyon" for e in result.entities)
