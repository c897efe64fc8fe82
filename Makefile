# The two commands a newcomer runs (see README):
#   make demo   install into .venv, then synth → load → models → paths → collusion → ranking, portrait → bid screens → out/index.html
#   make test   install into .venv (+ Neo4j's Cypher parser from npm, + Neo4j in-process via Maven), then run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: demo test install lint lint-deps browser-deps sysdeps neo4j-server lab bench clean

# Debian packages the tests and exports use: headless Chromium for the browser tests and HTML checks,
# poppler-utils (pdftoppm, pdftotext) for PDF checks, fonts-noto-cjk so the browser shows the widgets' Chinese
# (a desktop browser has CJK fonts; a bare CI machine does not). Installed only when missing (apt needs root).
SYSDEPS_BIN = /usr/bin/chromium /usr/bin/chromedriver /usr/bin/pdftoppm /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
sysdeps:
	@missing=""; for b in $(SYSDEPS_BIN); do [ -e $$b ] || missing=yes; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver poppler-utils fonts-noto-cjk >/dev/null; \
	  else echo "sysdeps: run as root, or: sudo apt-get install chromium chromium-driver poppler-utils fonts-noto-cjk (tests needing them will skip)"; fi; \
	fi

# setuptools' notice on an editable install of a package laid out as this one (queries/ installed as
# graphkit.queries, so imports go through a finder): "Editable installation. Please be careful with folders in
# your working directory …", in English, with nothing to act on; pip shows it even under --quiet. Filtered by its
# words alone: every other warning of pip and of the build is still shown.
EDITABLE = PYTHONWARNINGS="$${PYTHONWARNINGS:+$$PYTHONWARNINGS,}ignore:Editable installation" $(BIN)/pip install --quiet -e

$(BIN)/graphkit: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(EDITABLE) ".[dev]"
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

# playwright-core from npm drives Debian's /usr/bin/chromium in the browser tests (it downloads no browser)
tools/browser/node_modules: tools/browser/package.json tools/browser/package-lock.json
	npm ci --prefix tools/browser --no-audit --no-fund --loglevel=error
	touch tools/browser/node_modules

browser-deps: tools/browser/node_modules

# JupyterLab on the notebooks per role (JupyterLab comes with the dev and notebooks extras)
lab: install
	$(EDITABLE) ".[notebooks]"
	$(BIN)/graphkit lab

# Neo4j Community 5.26 in-process for the Neo4j tests (tools/neo4j: Maven, Java 17). Built when Java and
# Maven are present; without them the Neo4j tests report themselves skipped (CI has both and fails instead).
neo4j-server:
	@if command -v java >/dev/null && command -v mvn >/dev/null; then tools/neo4j/run.sh build; \
	else echo "neo4j-server: no java/mvn on PATH; the Neo4j tests will be skipped"; fi

demo: install
	$(BIN)/graphkit demo --out out

# Lint first: ruff (rules in pyproject.toml), the formatter, and the import layers (import-linter contracts).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# on every core (pytest-xdist); tests/conftest.py's scheduler keeps each module, the Neo4j modules and the
# notebook modules together
test: install lint-deps browser-deps sysdeps lint neo4j-server
	$(BIN)/pytest -n auto --dist loadscope --durations=25

bench: install
	$(BIN)/python bench/load.py

clean:
	rm -rf out .pytest_cache
