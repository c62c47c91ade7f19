# The project's commands. Every target installs what it needs first (`make install`, fast when done).
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Touched after a successful install; redone when the project or its pins change.
INSTALLED := $(VENV)/.installed
PIP_FLAGS := --quiet --disable-pip-version-check --no-input
# Byte-code caches (in git-ignored __pycache__ folders) even where the environment turns them off:
# without them every test process and subprocess recompiles the SDK and the tests (~3 s each).
export PYTHONDONTWRITEBYTECODE :=

.PHONY: help install generate add-operation update-upstream check lint typecheck drift test quick coverage soak bench demo vendor lock clean test-pipecat lock-pipecat

help:
	@echo "make demo      a media stream's whole life on a local fake space: start, signed callbacks, stop by name"
	@echo "make test      lint, type-check, drift-check generated/, then pytest (the CI command; CI also runs coverage, test-pipecat)"
	@echo "make quick     the inner loop: ruff, then the tests not marked slow (no mypy, generator, pip, bench)"
	@echo "make coverage  every test under coverage.py (branches too), then the floors in pyproject.toml (CI runs it)"
	@echo "make generate  merge openapi/*.yaml, regenerate generated/, report API changes; derive the overlay's _literals.py, _results.py, _invoke_types.py and _sync/"
	@echo "make add-operation OP=retrieve_conference   write a published operation as openapi/<op>.yaml, regenerate"
	@echo "make update-upstream FILE=new.yaml [COMMIT=...]   replace openapi/upstream/, refresh PROVENANCE.md"
	@echo "make check     ruff, mypy --strict, drift of generated/, _sync/ and the derived _literals/_results/_invoke_types, overlay fit (no tests)"
	@echo "make soak      the full load run: 10,000 async stops, 100 in flight"
	@echo "make bench     CPU, latency, import time and memory vs raw httpx, http.client, twilio-python"
	@echo "make vendor DEST=host_pkg/_vendor   copy the SDK into another project (no install; make check must have passed)"
	@echo "make install   create .venv with the project and its dev tools"
	@echo "make lock      refresh constraints.txt from the current .venv"

# `make demo` needs only the package and its runtime dependencies; every other target also the dev tools.
RUNTIME_INSTALLED := $(VENV)/.installed-runtime

install: $(INSTALLED)

define make_venv
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is required: run make PYTHON=/path/to/python3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
endef

$(INSTALLED): pyproject.toml constraints.txt
	$(make_venv)
	$(BIN)/python -m pip install $(PIP_FLAGS) --constraint constraints.txt --editable '.[dev]'
	@touch $@ $(RUNTIME_INSTALLED)

$(RUNTIME_INSTALLED): pyproject.toml constraints.txt
	$(make_venv)
	$(BIN)/python -m pip install $(PIP_FLAGS) --constraint constraints.txt --editable .
	@touch $@

generate: install
	$(BIN)/python -m scripts.pipeline.generate
	$(BIN)/python -m scripts.pipeline.derive_overlay
	$(BIN)/python -m scripts.pipeline.unasync

add-operation: install
	@test -n "$(OP)" || { echo "usage: make add-operation OP=<operationId of openapi/upstream/compatibility-openapi.yaml>"; exit 2; }
	$(BIN)/python -m scripts.pipeline.add_operation "$(OP)"
	$(BIN)/python -m scripts.pipeline.generate
	$(BIN)/python -m scripts.pipeline.derive_overlay
	$(BIN)/python -m scripts.pipeline.unasync

update-upstream: install
	@test -n "$(FILE)" || { echo "usage: make update-upstream FILE=path/to/compatibility-openapi.yaml [COMMIT=sha]"; exit 2; }
	$(BIN)/python -m scripts.pipeline.update_upstream "$(FILE)" $(if $(COMMIT),--commit "$(COMMIT)")

lint: install
	$(BIN)/ruff check overlay scripts tests
	$(BIN)/ruff format --check overlay scripts tests
	$(BIN)/ruff check --config openapi/generator/ruff.toml generated
	$(BIN)/ruff format --check --config openapi/generator/ruff.toml generated

typecheck: install
	$(BIN)/mypy
	$(BIN)/mypy --strict scripts

drift: install
	$(BIN)/python -m scripts.pipeline.generate --check
	$(BIN)/python -m scripts.pipeline.derive_overlay --check
	$(BIN)/python -m scripts.pipeline.unasync --check

# When all of it passes, the tree's digest is noted: make vendor copies only a tree make check passed.
check: lint typecheck drift
	@$(BIN)/python -m scripts.vendor --record-check

# One pytest worker (pytest-xdist) more than there are cores: the tests spend a third of their time
# waiting (on loopback sockets, timeouts, subprocesses), and a third worker fills that wait (2 cores:
# make test's pytest 106 s -> 94 s, make quick's 17.5 s -> 15.5 s; a fourth costs more in start-up and
# collection than it saves). worksteal: an idle worker takes queued tests.
WORKERS = $(shell $(BIN)/python -c "import os; print((os.cpu_count() or 1) + 1)")

test: check
	$(BIN)/python -m pytest -n $(WORKERS) --dist worksteal

# The schemathesis module is slow as a whole: make quick does not even import it (nor its pytest
# plugin), which saves each worker a second of start-up.
QUICK_SKIPS := -p no:schemathesis --ignore=tests/fake/test_schemathesis.py

quick: install
	$(BIN)/ruff check overlay scripts tests
	SIGNALWIRE_COMPAT_QUICK=1 $(BIN)/python -m pytest -q -n $(WORKERS) --dist worksteal -m "not slow" $(QUICK_SKIPS)

# Every test, measured (settings in pyproject.toml's [tool.coverage.*]: branches, overlay/ and scripts/,
# xdist's workers and the interpreters tests start), then the ratchet: fails below a floor of
# [tool.signalwire-compat.coverage-floor]. Not part of make test: measuring costs half again its time.
# tests/coverage_save.py: each xdist worker writes its data before xdist may kill it at the end.
# `.venv/bin/coverage html -d build/coverage/html` afterwards shows each line and branch.
coverage: install
	rm -rf build/coverage && mkdir -p build/coverage
	$(BIN)/coverage run -m pytest -p tests.coverage_save -q -n auto --dist worksteal
	$(BIN)/coverage combine --quiet
	$(BIN)/coverage report
	$(BIN)/python -m tests.coverage_floor

$(VENV)/.installed-bench: $(INSTALLED)
	$(BIN)/python -m pip install $(PIP_FLAGS) --constraint constraints.txt --editable '.[dev,bench]'
	@touch $@

# --instructions: callgrind's instruction counts too (deterministic, unlike CPU time on a shared machine).
bench: $(VENV)/.installed-bench
	$(BIN)/python -m scripts.bench --instructions --json bench-results.json

soak: install
	SIGNALWIRE_COMPAT_LOAD_STOPS=10000 $(BIN)/python -m pytest -s -p no:cacheprovider tests/sdk/test_load.py

demo: $(RUNTIME_INSTALLED)
	@$(BIN)/python -m scripts.demo

# Standard library only: no install, any Python 3.11+.
vendor:
	@test -n "$(DEST)" || { echo "usage: make vendor DEST=path/to/host_pkg/_vendor [FORCE=1] [UNCHECKED=1]"; exit 2; }
	$(PYTHON) -m scripts.vendor "$(DEST)" $(if $(FORCE),--force) $(if $(UNCHECKED),--unchecked)

lock: $(VENV)/.installed-bench
	@{ echo "# Exact versions of every package make install puts in .venv (regenerate: make lock)."; \
	   $(BIN)/python -m pip freeze --exclude-editable --disable-pip-version-check; } > constraints.txt

clean:
	rm -rf $(VENV) $(PIPECAT_VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis build dist

# The pipecat integration (signalwire_compat.integrations.pipecat) in an environment of its own: pipecat pulls
# some 50 packages that make test never needs, pinned by constraints-pipecat.txt (refresh: make lock-pipecat,
# also after make lock changes constraints.txt). Runs mypy --strict on the integration with pipecat installed,
# then tests/pipecat (the docs example included).
# mypy keeps its cache in the environment: .mypy_cache, made without pipecat, would mislead it (and the reverse).
PIPECAT_VENV := .venv-pipecat
PIPECAT_BIN := $(PIPECAT_VENV)/bin
PIPECAT_INSTALLED := $(PIPECAT_VENV)/.installed
# What tests/pipecat needs besides the package and pipecat: the test runner, mypy and the stubs the SDK's
# imports need, what tests/conftest.py's contract check reads the specs with, and a server for the agent.
# Not the dev extra: it pins soxr 1.1.0 (the audio extra's tests), and pipecat 1.14 requires soxr 1.0.x.
PIPECAT_TEST_TOOLS := pytest pytest-xdist pytest-timeout mypy types-python-dateutil types-defusedxml pyyaml jsonschema uvicorn
# The pins of constraints.txt pipecat requires otherwise (a grep -E alternation); the rest are shared.
PIPECAT_OWN_PINS := soxr

$(PIPECAT_INSTALLED): pyproject.toml constraints-pipecat.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is required: run make PYTHON=/path/to/python3.11")'
	@test -x $(PIPECAT_BIN)/python || $(PYTHON) -m venv $(PIPECAT_VENV)
	$(PIPECAT_BIN)/python -m pip install $(PIP_FLAGS) --constraint constraints-pipecat.txt --editable '.[pipecat]' $(PIPECAT_TEST_TOOLS)
	@touch $@

test-pipecat: $(PIPECAT_INSTALLED)
	$(PIPECAT_BIN)/mypy --strict --cache-dir $(PIPECAT_VENV)/mypy-cache -p signalwire_compat.integrations
	$(PIPECAT_BIN)/python -m pytest -n auto --dist worksteal tests/pipecat

# Rebuilds .venv-pipecat with constraints.txt's versions of everything both environments hold and the newest
# pipecat of the tested line, and pins the result.
PIPECAT_LINE := pipecat-ai==1.14.*

lock-pipecat:
	rm -rf $(PIPECAT_VENV)
	$(PYTHON) -m venv $(PIPECAT_VENV)
	grep -vE '^($(PIPECAT_OWN_PINS))==' constraints.txt > $(PIPECAT_VENV)/shared-constraints.txt
	$(PIPECAT_BIN)/python -m pip install $(PIP_FLAGS) --constraint $(PIPECAT_VENV)/shared-constraints.txt \
	    --editable '.[pipecat]' '$(PIPECAT_LINE)' $(PIPECAT_TEST_TOOLS)
	@{ echo "# Exact versions of every package make test-pipecat puts in .venv-pipecat (regenerate: make lock-pipecat)."; \
	   $(PIPECAT_BIN)/python -m pip freeze --exclude-editable --disable-pip-version-check; } > constraints-pipecat.txt
	@touch $(PIPECAT_INSTALLED)
