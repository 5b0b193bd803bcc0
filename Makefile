# Regelbank: `make run` installs and serves with the bundled workbooks; `make test` runs everything.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000

.PHONY: install run test test-fast bench bench-serve bench-batch dmn tck tck3 clean

$(BIN)/regelbank: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,bench]'
	@touch $@

install: $(BIN)/regelbank

## Install, publish the bundled workbooks into the instance database (first start), serve on 127.0.0.1:$(PORT)
run: install
	$(BIN)/regelbank serve --port $(PORT)

## Install system packages (Chromium, PostgreSQL), start PostgreSQL on loopback, run the whole suite
test: install
	scripts/system-deps.sh
	REGELBANK_TEST_POSTGRES_URL=$$(scripts/postgres.sh start) $(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

## The suite without browser and PostgreSQL tests (quick local loop)
test-fast: install
	$(BIN)/python -m pytest -q -m "not browser and not postgres" $(PYTEST_ARGS)

## Benchmarks: ratios against pyDMNrules (and ZEN) measured in the same run
bench: install
	$(BIN)/python -m bench

## Requests/s, p50, p99 of the evaluate endpoint vs a bare Flask echo: SQLite, PostgreSQL x1 and x2 servers
bench-serve: install
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
	REGELBANK_BENCH_POSTGRES_URL=$$(scripts/postgres.sh start) $(BIN)/python -m bench serve

## `regelbank batch` end to end on a generated 1,000,000-row CSV: rows/s and peak memory
bench-batch: install
	$(BIN)/python -m bench batch

## Regenerate dmn/ from spreadsheets/ (a test checks it is current)
dmn: install
	$(BIN)/python -m regelbank.export --all

## DMN TCK compliance level 2 (also part of `make test`) and level 3 (slow: minutes)
tck: install
	$(BIN)/regelbank tck ../shared/dmn-tck/compliance-level-2
tck3: install
	$(BIN)/regelbank tck ../shared/dmn-tck/compliance-level-3

clean:
	rm -rf $(VENV) instance *.egg-info
