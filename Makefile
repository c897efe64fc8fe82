# The two commands a newcomer runs (see README):
#   make demo   install into .venv, then synth → load → stats → out/index.html on the embedded store
#   make test   install into .venv (+ Neo4j's Cypher parser from npm), then run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: demo test install lint-deps bench clean

$(BIN)/graphkit: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(BIN)/graphkit

install: $(BIN)/graphkit

tools/cypherlint/node_modules: tools/cypherlint/package.json tools/cypherlint/package-lock.json
	npm ci --prefix tools/cypherlint --no-audit --no-fund --loglevel=error
	touch tools/cypherlint/node_modules

lint-deps: tools/cypherlint/node_modules

demo: install
	$(BIN)/graphkit demo --out out

test: install lint-deps
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/load.py

clean:
	rm -rf out .pytest_cache
