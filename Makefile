# The whole dev loop. `make run` = main job on corpus/, `make test` = the test suite (what CI runs).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= outputs/cami.sqlite

.PHONY: setup system-packages run test lint dist wheel-check eval postgres docs corpus bench clean

# A fresh venv installed from the hash-pinned lock (the spaCy model included), then this package.
$(VENV)/.installed: requirements/lock.txt setup.cfg
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

setup: $(VENV)/.installed

# Main job: ingest the shipped corpus into outputs/ and export every table in every format.
run: setup
	$(BIN)/cami --db $(DB) ingest corpus/
	$(BIN)/cami --db $(DB) export --format jsonl --out outputs/export
	$(BIN)/cami --db $(DB) export --format csv --out outputs/export
	$(BIN)/cami --db $(DB) export --format parquet --out outputs/export
	$(BIN)/cami --db $(DB) audit --out outputs/audit

# The tests use the PostgreSQL server on 127.0.0.1:5432 for real; start it when it is down.
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done; echo "PostgreSQL did not start"; exit 1

# Debian packages for OCR and the browser test (apt-get when root, else says what to install).
system-packages:
	@bash .ci/system-packages

# pytest-xdist runs the suite on every core (a worker per core; each loads its own spaCy pipelines).
test: setup system-packages postgres
	$(BIN)/python -m pytest -n auto

# What users install: the sdist, and the wheel built from it, into dist/.
dist: setup
	rm -rf dist build
	$(BIN)/python -m build --no-isolation --outdir dist .
	rm -rf build cami_extract.egg-info

# The built wheel in a fresh venv with the lock, its CLI run from outside the tree (.ci/run).
wheel-check: dist
	bash .ci/wheel-smoke dist

# Lint and type checks; .ci/run runs these before the tests.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Whole-pipeline speed and memory against the naive script; prints figures (docs/benchmark.md).
# Pass options with BENCH_ARGS, e.g. make bench BENCH_ARGS="--copies 10 --repeats 5".
# The naive script the issue defines runs dateparser on each DATE entity: a bench-only pin
# (requirements/bench.txt), never a dependency of the package.
bench: setup
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/bench.txt
	$(BIN)/python tests/bench/bench_pipeline.py $(BENCH_ARGS)

docs: setup
	$(BIN)/python docs/make_cli_docs.py

# Regenerate the corpus PDFs (needs Debian's libreoffice-writer-nogui, fonts-liberation, hyphen-en-gb, hyphen-fr).
corpus: setup
	$(BIN)/python corpus/make_corpus.py

clean:
	rm -rf dist $(VENV) outputs/cami.sqlite outputs/cami.sqlite.lock outputs/export outputs/audit
