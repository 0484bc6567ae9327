# Developer tasks. `make run` and `make test` are the README's quick start.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CORPUS ?= corpus
INDEX ?= instance/index

.PHONY: install install-test run index test test-fast lint browser bench clean opensearch opensearch-stop

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

install-test: $(VENV)/.installed-test

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test,opensearch]'
	touch $@

index: install
	$(BIN)/presscut index --corpus $(CORPUS) --index $(INDEX)

run: index
	$(BIN)/presscut serve --index $(INDEX)

# Browser tests drive Debian's Chromium; install it when we may (root) and it is missing.
browser:
	@test -x /usr/bin/chromium || { [ "$$(id -u)" = 0 ] && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) ; } \
	  || echo "chromium is not installed: browser tests will be skipped"

lint: install-test
	$(BIN)/ruff check core indexer engines search webapp presscut tests bench

test: install-test browser lint
	$(BIN)/python -m pytest

test-fast: install-test
	$(BIN)/python -m pytest -m "not browser and not slow"

# Issue 18's figures (docs/scaling.md): build, re-runs and queries at 10k and 100k against
# SQLite FTS5, then 32 clients at 100k: saturating, as readers of ten queries, and as
# readers of queries drawn afresh from the archive (about 100 minutes).
BENCH ?= instance/bench
bench: install
	$(BIN)/python bench/scale.py --articles 10000 100000 --work $(BENCH)
	$(BIN)/python bench/load.py --index $(BENCH)/index-100000 --clients 32 --seconds 60
	$(BIN)/python bench/load.py --index $(BENCH)/index-100000 --clients 32 --seconds 60 --pause 1
	$(BIN)/python bench/load.py --index $(BENCH)/index-100000 --clients 32 --seconds 60 --pause 1 --mix archive

# A 3-node OpenSearch cluster on 127.0.0.1:9201-9203 from Maven Central's jars (Java 17 and
# Maven), for the OpenSearch engine's tests and trials; its files live in instance/opensearch.
OPENSEARCH := engines/opensearch/cluster
opensearch:
	$(OPENSEARCH)/fetch.sh
	$(OPENSEARCH)/cluster.sh start

opensearch-stop:
	$(OPENSEARCH)/cluster.sh stop

clean:
	rm -rf $(VENV) instance build *.egg-info test-artifacts
