# Two commands do everything (see README.md):
#   make book   build the HTML book into _build/html (executes every notebook first)
#   make test   everything CI runs: lint, unit tests on both backends, notebooks, nbval, book,
#               browser
# Both create .venv when it is missing.

SHELL   := /bin/bash
# A step whose output is filtered (QUIET, below) still fails when its command fails.
.SHELLFLAGS := -o pipefail -c
# The Python of the new .venv: PYTHON if given, else the newest of the versions the project is
# tested on (requires-python in pyproject.toml) that this machine runs.
PYTHON  ?=
TESTED_PYTHONS := 3.12 3.11
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp
PROFILE ?= smoke
# Notebooks are executed, validated and built in TREE. `make test` uses a scratch copy of the
# book so that a test run never rewrites the recorded notebooks of the working tree.
TREE    ?= .
CI_TREE := _build/ci
NB      := $(BIN)/python tools/notebooks.py

# TensorFlow's C++ start-up lines would otherwise land in every executed cell's stderr.
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PYTHONHASHSEED ?= 0

# Start-up lines no setting turns off (TensorFlow's absl lines, ipykernel's TCP warning, ...),
# listed in tools/quiet.sed, are dropped from what the steps print; everything else, a failing
# step's whole error included, goes through.
QUIET := 2>&1 | sed -u -E -f tools/quiet.sed

.PHONY: help venv lint stage unit unit-jax execute validate html book browser test bench clean

help:
	@echo "make book    build the book into _build/html (executes the notebooks, PROFILE=$(PROFILE))"
	@echo "make test    run everything CI runs, each step timed"
	@echo "make lint | execute | validate | html | unit | unit-jax | browser   single steps"
	@echo "make bench   the benchmarks (about 15 min, on an idle machine): benchmarks/results/"
	@echo "python tools/lint.py --fix   apply ruff's fixes and formatting (code and notebooks)"

$(STAMP): pyproject.toml
	@if [ ! -x $(BIN)/python ]; then \
	    python="$(PYTHON)"; \
	    for version in $(TESTED_PYTHONS); do \
	        [ -n "$$python" ] && break; \
	        python$$version -c "" 2>/dev/null && python=python$$version; \
	    done; \
	    if [ -z "$$python" ]; then \
	        echo "make: no python3.X of $(TESTED_PYTHONS) runs here; name one with PYTHON=" >&2; \
	        exit 1; \
	    fi; \
	    echo "make: creating $(VENV) with $$python ($$($$python --version 2>&1))"; \
	    $$python -m venv $(VENV); \
	fi
	$(BIN)/python -m pip install --quiet --upgrade pip $(QUIET)
	@# setuptools warns at length that an editable install is one; it is meant to be.
	PYTHONWARNINGS="ignore:Editable installation" \
	    $(BIN)/python -m pip install --quiet -e '.[dev,studies]' $(QUIET)
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $@

venv: $(STAMP)

# The tests, and the examples in the docstrings of aelib and benchmarks/ as doctests (their
# option flags are in pyproject.toml). The loaders' examples read the prepared data from
# AELIB_DATA, which make passes on from the caller's environment (.ci/run sets it to
# ../shared/data); without it they would download every data set, so they are left out.
# --durations lists the ten slowest tests, the first place to look when CI grows slow.
DOCTESTS := --doctest-modules aelib benchmarks $(if $(AELIB_DATA),,--ignore=aelib/data/loaders.py)

# ruff over the code and the notebooks' code cells (rules in pyproject.toml); `python
# tools/lint.py --fix` applies what ruff can fix.
lint: venv
	$(BIN)/python tools/lint.py

unit: venv
	$(BIN)/python -m pytest -q -p no:cacheprovider --durations=10 tests $(DOCTESTS) \
	    -m "not browser" $(QUIET)

# The model and library tests and the doctests again under JAX: aelib must not depend on TensorFlow.
# Left out: tests that never reach a Keras backend (the environment, the data loaders, the
# recorded results, the notebook and lint tools, the NumPy baselines and retrieval metrics, the
# Pillow codecs and the BD-rate, the semantic hashing study's text preparation, the Hinton
# study's data, the recorded models and the command line codec (NumPy transforms) and the
# compression study's training ladder, whose model and codec are tested under JAX in their own
# files), the data-parallel test (it starts each backend itself) and the study notebooks'
# parameter checks, which stop before any model is built, and the step runner of `make test`.
NOT_UNDER_JAX := tests/test_environment.py tests/data/test_loaders.py tests/test_study_records.py \
    tests/test_study_notebook.py tests/test_notebook_tools.py tests/test_lint.py \
    tests/baselines/test_pca.py tests/baselines/test_logistic_pca.py tests/test_data_parallel.py \
    tests/test_results_page.py tests/test_bibliography.py tests/test_chapters.py \
    tests/baselines/test_hashing.py tests/evaluation/test_retrieval.py \
    tests/studies/test_semantic_hashing_prep.py tests/baselines/test_codecs.py \
    tests/evaluation/test_rate_distortion.py tests/compression/test_recorded.py \
    tests/studies/test_compression_prep.py tests/studies/test_hinton_pca_prep.py \
    tests/test_run_steps.py
unit-jax: venv
	KERAS_BACKEND=jax $(BIN)/python -m pytest -q -p no:cacheprovider --durations=10 tests \
	    $(DOCTESTS) -m "not browser" \
	    $(addprefix --ignore=,$(NOT_UNDER_JAX)) $(QUIET)

# Which notebooks `execute` runs with papermill and `validate` re-runs with nbval: all of them
# by default; `make test` runs each once (see there).
EXECUTE_KIND  ?= all
VALIDATE_KIND ?= all

execute: venv
	$(NB) execute --tree $(TREE) --profile $(PROFILE) --kind $(EXECUTE_KIND) $(QUIET)

validate: venv
	AELIB_PROFILE=$(PROFILE) $(BIN)/python -m pytest -q -p no:cacheprovider --nbval-lax \
	    --nbval-current-env $$($(NB) list --tree $(TREE) --format ipynb --kind $(VALIDATE_KIND)) \
	    $(QUIET)

html: venv
	$(BIN)/jupyter-book build $(TREE) -W -n --keep-going --quiet $(QUIET)

book:
	$(MAKE) --no-print-directory execute html TREE=.
	@echo "The book is in _build/html/index.html"

browser: venv
	bash tools/ensure_chromium.sh
	BOOK_HTML=$(TREE)/_build/html $(BIN)/python -m pytest -q -p no:cacheprovider tests/browser -m browser \
	    $(QUIET)

# A scratch copy of the book's sources, for `make test`.
stage: venv
	@rm -rf $(CI_TREE) && $(NB) stage $(CI_TREE)

# Each step is timed, in wall-clock seconds and in CPU seconds (user + system, its processes
# together): a CPU time well under twice the wall time on this 2-core machine means the step
# leaves a core idle. So the unit tests on the two backends run side by side, and so do the two
# notebook steps, which share no files (tools/run_steps.sh; "a+b" is such a pair). The times
# are printed again at the end. Every notebook runs once: the studies under papermill, which
# injects their smoke profile (`execute`), the chapters and the book's pages under nbval, which
# re-runs them from their committed outputs (`validate`). The book is then built from those
# outputs (tests/test_notebook_tools.py checks that every executed notebook holds its source's
# current cells).
test:
	@MAKE="$(MAKE)" bash tools/run_steps.sh \
	    "TREE=$(CI_TREE) PROFILE=smoke EXECUTE_KIND=studies VALIDATE_KIND=pages" \
	    venv lint stage unit+unit-jax execute+validate html browser

# The benchmarks: aelib against plain Keras (TensorFlow, JAX, bfloat16), the fraction of the
# machine's peak, RBM CD-1 against NumPy, the log-likelihood's time. Writes benchmarks/results/;
# the book's Performance page draws them. Not part of `make test`: it measures, it checks nothing.
bench: venv
	$(BIN)/python -m benchmarks.run $(QUIET)
	$(BIN)/python -m benchmarks.codec $(QUIET)

clean:
	rm -rf _build
