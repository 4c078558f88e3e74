"""The learned French classifier: the shipped model, and the training script on a small corpus."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from core.errors import ConfigError
from enrich.classifier import LABELS, SentimentClassifier
from enrich.featurize import tokens
from enrich.train import Example, fit, read_corrections, save, split_of
from enrich.train import main as train_main
from enrich.wordvectors import WordVectors


@pytest.fixture(scope="module")
def shipped() -> SentimentClassifier:
    return SentimentClassifier.load()


def test_shipped_model_gives_calibrated_rows(shipped):
    texts = ["Service impeccable, je recommande !", "Horrible, une vraie arnaque, je suis très déçu.", ""]
    probabilities = shipped.probabilities(texts)
    assert probabilities.shape == (3, len(LABELS))
    assert np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-4)
    predictions = shipped.predict(texts[:2])
    assert [p.label for p in predictions] == ["positive", "negative"]
    assert predictions[0].score > 0 > predictions[1].score


def test_a_broken_model_file_names_itself(tmp_path):
    path = tmp_path / "model.npz"
    path.write_bytes(b"not a model")
    with pytest.raises(ConfigError, match=r"model\.npz.*make model"):
        SentimentClassifier.load(path)


def test_split_is_fixed_by_the_text():
    assert split_of("Super film !") == split_of("super   FILM")  # folded words decide
    parts = [split_of(f"texte numéro {i}") for i in range(2000)]
    assert 0.07 < parts.count("test") / len(parts) < 0.13
    assert 0.07 < parts.count("dev") / len(parts) < 0.13


def test_corrections_are_read_as_the_export_writes_them(tmp_path):
    path = tmp_path / "corrections.jsonl"
    lines = [
        {"text": "Le SAV Velora m'a rappelé vite", "label": "positive", "lang": "fr", "brand": "Velora"},
        {"text": "The box keeps crashing", "label": "negative", "lang": "en"},
        {"text": "Sans avis", "label": "meh"},
        "not json",
        {"text": "Facture claire", "label": "neutral"},
    ]
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    found = read_corrections([path])
    assert [(e.text, e.label) for e in found] == [
        ("Le SAV Velora m'a rappelé vite", "positive"),
        ("Facture claire", "neutral"),
    ]
    assert all(e.weight > 1 for e in found)


def _corpus(directory: Path) -> Path:
    directory.mkdir()
    rows = ["text\tlabel\tsource\tlicence"]
    positive = ["excellent", "parfait", "génial", "super", "ravi", "top"]
    negative = ["nul", "horrible", "déçu", "lamentable", "arnaque", "catastrophe"]
    neutral = ["le", "conseil", "municipal", "se", "réunit", "mardi"]
    for i in range(60):
        rows.append(f"Service {positive[i % 6]} numéro {i}, {positive[(i + 1) % 6]}\tpositive\tt\tCC0")
        rows.append(f"Service {negative[i % 6]} numéro {i}, {negative[(i + 2) % 6]}\tnegative\tt\tCC0")
        rows.append(f"{neutral[i % 6]} {neutral[(i + 3) % 6]} {i} {neutral[(i + 4) % 6]}\tneutral\tt\tCC0")
    (directory / "tiny.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return directory


def test_training_is_deterministic_and_takes_corrections(tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    corrections = tmp_path / "fix.jsonl"
    corrections.write_text(json.dumps({"text": "Service numéro 7 lent", "label": "negative"}) + "\n")
    first, second = tmp_path / "a.npz", tmp_path / "b.npz"
    for out in (first, second):
        args = ["--corpus", str(corpus), "--corrections", str(corrections), "--out", str(out)]
        assert train_main(args) == 0
    a, b = SentimentClassifier.load(first), SentimentClassifier.load(second)
    assert np.array_equal(a.coef_t, b.coef_t) and a.temperature == b.temperature
    assert a.meta["train"]["corrections:fix.jsonl"] == 1
    rows = a.probabilities(["Service excellent, parfait", "Service nul, lamentable"])
    assert np.allclose(rows.sum(axis=1), 1.0, atol=1e-4)


def test_training_without_a_corpus_is_a_clear_error(tmp_path, capsys):
    assert train_main(["--corpus", str(tmp_path), "--out", str(tmp_path / "m.npz")]) == 1
    assert "no corpus TSV file" in capsys.readouterr().err


def _tiny_vectors() -> WordVectors:
    """Two directions: praise words on one, complaint words on the other, the rest unknown."""
    import zlib

    praise = ["excellent", "parfait", "genial", "super", "ravi", "top", "formidable"]
    complaint = ["nul", "horrible", "decu", "lamentable", "arnaque", "catastrophe", "minable"]
    forms = praise + complaint
    keys = np.array([zlib.crc32(f.encode()) for f in forms], dtype=np.uint32)
    rows = np.array([0] * len(praise) + [1] * len(complaint), dtype=np.int32)
    order = np.argsort(keys)
    return WordVectors(keys[order], rows[order], np.array([[1, 0, 0.1], [0, 1, 0.1]], np.float32), "tiny/2x3")


def test_word_vectors_are_pooled_per_text_and_unknown_words_give_zeros():
    vectors = _tiny_vectors()
    pooled = vectors.pool([tokens("Formidable, génial"), tokens("Minable et nul"), tokens("le mardi"), []])
    assert pooled.shape == (4, 3)
    assert pooled[0, 0] > 0.9 and pooled[0, 1] == 0  # accents folded: "génial" is found
    assert pooled[1, 1] > 0.9 and pooled[1, 0] == 0
    assert not pooled[2:].any()
    assert np.allclose(np.linalg.norm(pooled[:2], axis=1), 1.0, atol=1e-5)


def test_a_model_with_word_vectors_round_trips_and_uses_them(tmp_path):
    # Trained on two words only; "formidable" and "minable" are known only through their vectors.
    train = [
        Example(f"Service {w} numéro {i}", label, "t")
        for i in range(40)
        for w, label in (("excellent", "positive"), ("horrible", "negative"))
    ]
    train += [Example(f"le conseil se réunit mardi {i}", "neutral", "t") for i in range(40)]
    dev = [
        Example(f"Service {w} {i}", label, "t")
        for i in range(15)
        for w, label in (("parfait", "positive"), ("nul", "negative"))
    ] + train[-15:]
    model = fit(train, dev, vectors=_tiny_vectors())
    path = tmp_path / "m.npz"
    save(model, path)
    loaded = SentimentClassifier.load(path)
    assert loaded.meta["vectors"] == "tiny/2x3" and loaded.vector_width == 3
    texts = ["Service formidable", "Service minable"]
    assert np.allclose(loaded.probabilities(texts), model.probabilities(texts), atol=2e-3)
    assert [p.label for p in loaded.predict(texts)] == ["positive", "negative"]


def test_a_model_whose_columns_do_not_match_is_refused(tmp_path):
    train = [
        Example(f"Service {w} {i}", label, "t")
        for i in range(20)
        for w, label in (("excellent", "positive"), ("horrible", "negative"), ("mardi", "neutral"))
    ]
    model = fit(train, [], vectors=_tiny_vectors())
    model.vectors = None  # saved without its table: the heads still expect three vector columns
    model.meta["vectors"] = None
    path = tmp_path / "m.npz"
    save(model, path)
    with pytest.raises(ConfigError, match=r"m\.npz.*columns.*make model"):
        SentimentClassifier.load(path)
