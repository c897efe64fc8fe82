# The two commands a newcomer runs (see README):
#   make demo   install into .venv, then synth → load → stats → out/index.html on the embedded store
#   make test   install into .venv (+ Neo4j's Cypher parser from npm), then run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: demo test install lint lint-deps sysdeps bench clean

# Debian packages the tests and exports use: headless Chromium for the browser tests and HTML checks,
# poppler-utils (pdftoppm, pdftotext) for PDF checks. Installed only when missing (apt needs root).
SYSDEPS_BIN = /usr/bin/chromium /usr/bin/chromedriver /usr/bin/pdftoppm
sysdeps:
	@missing=""; for b in $(SYSDEPS_BIN); do [ -x $$b ] || missing=yes; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver poppler-utils >/dev/null; \
	  else echo "sysdeps: run as root, or: sudo apt-get install chromium chromium-driver poppler-utils (tests needing them will skip)"; fi; \
	fi

$(BIN)/graphkit: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(BIN)/graphkit

install: $(BIN)/graphkit

tools/cypherlint/node_modules: tools/cypherlint/package.json tools/cypherlint/package-lock.json
	npm ci --prefix tools/cypherlint --no-audit --no-fund --loglevel=error
	touch tools/cypherlint/node_modules

# playwright-core drives the system's Chromium in the HTML case-file test (no browser download)
tools/htmlcheck/node_modules: tools/htmlcheck/package.json tools/htmlcheck/package-lock.json
	npm ci --prefix tools/htmlcheck --no-audit --no-fund --loglevel=error
	touch tools/htmlcheck/node_modules

lint-deps: tools/cypherlint/node_modules tools/htmlcheck/node_modules

demo: install
	$(BIN)/graphkit demo --out out

# Lint first: ruff (rules in pyproject.toml), the formatter, and the import layers (import-linter contracts).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: install lint-deps sysdeps lint
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/load.py

clean:
	rm -rf out .pytest_cache
