# Two entry points, each doing all of its own set-up on a fresh machine with Python 3.11+:
#   make demo   install framing into .venv and analyse the bundled sample corpus -> framing-demo/
#   make test   install framing with its dev tools into .venv; run ruff, mypy and the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_OUT ?= framing-demo

.PHONY: demo test install install-dev lint clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "framing needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# A regular (non-editable) install, so the bundled lexicons and sample corpus are found as
# package data exactly as a user's `pip install` finds them.
install: $(BIN)/python
	$(BIN)/python -m pip install --quiet .

install-dev: $(BIN)/python
	$(BIN)/python -m pip install --quiet ".[dev]"

demo: install
	$(BIN)/framing demo --out $(DEMO_OUT)

lint: install-dev
	$(BIN)/ruff check framing tests benchmarks
	$(BIN)/ruff format --check framing tests benchmarks
	$(BIN)/mypy framing

test: lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) $(DEMO_OUT) build dist .pytest_cache .mypy_cache .ruff_cache
