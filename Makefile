# Two commands do everything (see README.md):
#   make book   build the HTML book into _build/html (executes every notebook first)
#   make test   everything CI runs: unit tests on both backends, notebooks, nbval, book, browser
# Both create .venv when it is missing.

SHELL   := /bin/bash
PYTHON  ?= python3.11
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

.PHONY: help venv stage unit unit-jax execute validate html book browser test clean

help:
	@echo "make book    build the book into _build/html (executes the notebooks, PROFILE=$(PROFILE))"
	@echo "make test    run everything CI runs, each step timed"
	@echo "make execute | validate | html | unit | unit-jax | browser   single steps"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,studies]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $@

venv: $(STAMP)

# The tests, and the examples in aelib's docstrings as doctests (their option flags are in
# pyproject.toml). The loaders' examples read the prepared data from AELIB_DATA, which make
# passes on from the caller's environment (.ci/run sets it to ../shared/data); without it they
# would download every data set, so they are left out.
DOCTESTS := --doctest-modules aelib $(if $(AELIB_DATA),,--ignore=aelib/data/loaders.py)

unit: venv
	$(BIN)/python -m pytest -q -p no:cacheprovider tests $(DOCTESTS) -m "not browser"

# The model and library tests and the doctests again under JAX: aelib must not depend on TensorFlow.
unit-jax: venv
	KERAS_BACKEND=jax $(BIN)/python -m pytest -q -p no:cacheprovider tests $(DOCTESTS) -m "not browser" \
	    --ignore=tests/test_environment.py --ignore=tests/data/test_loaders.py

execute: venv
	$(NB) execute --tree $(TREE) --profile $(PROFILE)

validate: venv
	AELIB_PROFILE=$(PROFILE) $(BIN)/python -m pytest -q -p no:cacheprovider --nbval-lax \
	    --nbval-current-env $$($(NB) list --tree $(TREE) --format ipynb)

html: venv
	$(BIN)/jupyter-book build $(TREE) -W -n --keep-going

book:
	$(MAKE) --no-print-directory execute html TREE=.
	@echo "The book is in _build/html/index.html"

browser: venv
	bash tools/ensure_chromium.sh
	BOOK_HTML=$(TREE)/_build/html $(BIN)/python -m pytest -q -p no:cacheprovider tests/browser -m browser

# A scratch copy of the book's sources, for `make test`.
stage: venv
	@rm -rf $(CI_TREE) && $(NB) stage $(CI_TREE)

# Each step is timed; the times are printed again at the end.
test:
	@mkdir -p _build && : > _build/step-times.txt
	@set -e; start=$$(date +%s); for step in venv stage unit unit-jax execute validate html browser; do \
	    t0=$$(date +%s); \
	    echo "==== step $$step"; \
	    $(MAKE) --no-print-directory $$step TREE=$(CI_TREE) PROFILE=smoke; \
	    echo "step $$step: $$(( $$(date +%s) - t0 )) s" | tee -a _build/step-times.txt; \
	done; \
	echo "total: $$(( $$(date +%s) - start )) s" >> _build/step-times.txt
	@echo "==== step times"; cat _build/step-times.txt

clean:
	rm -rf _build
