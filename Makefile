# Every target creates the virtual environment itself: a fresh clone needs only
# Python 3.11+, pip and this Makefile.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
STACK ?= dev

.PHONY: local web chromium test test-fast lint lock package preview bench openapi clean

# Runtime dependencies at the versions the functions' layer ships (layer-lock.txt's pins).
$(STAMP): pyproject.toml layer-lock.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	mkdir -p build && $(BIN)/python -m packager.venv_constraints > build/venv-constraints.txt
	$(BIN)/python -m pip install --quiet -e '.[dev]' -c build/venv-constraints.txt
	touch $(STAMP)

## local: deploy the dev stack onto the embedded AWS emulator; the web app on :8081, the API on :8080
# `python -m`, not the console script: the program's process is spawned, and a spawned child
# runs the parent's script again (the whole CLI's imports) but not a package's __main__.
# FRESH=1: run the program even if build/devstack/ holds a snapshot of this deployment.
local: web
	$(BIN)/python -m bookingctl local up --stack $(STACK)$(if $(FRESH), --fresh)

## web: build the web app into build/web-<hash>/ (npm ci when the lockfile changed; cached)
web: $(STAMP)
	$(BIN)/python -m packager.web_app

## chromium: Debian's Chromium for the browser tests (tests/browser/), installed when missing and root
chromium:
	@if [ -n "$$CHROMIUM_PATH" ] || [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "chromium: installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "chromium: /usr/bin/chromium is missing and you are not root: run 'sudo apt-get install -y chromium'" \
			"(or set CHROMIUM_PATH to a Chromium binary); until then the browser tests fail saying so" >&2; \
	fi

## test: the whole test pass (unit, infra, policies, lambdas, e2e, browser)
test: web chromium
	$(BIN)/python -m pytest -n 2 --dist loadgroup

## lint: ruff, mypy and actionlint (.github/workflows and the local actions they use), all clean
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy lambdas/booking components stacks engine packager policies devstack bookingctl
	$(BIN)/actionlint

## lock: resolve pyproject's runtime dependencies into layer-lock.txt (hashes, Lambda's arm64 Python 3.12; needs PyPI)
lock: $(STAMP)
	$(BIN)/python -m packager.layer_lock

## package: build the Lambda code archive, the dependency layer and the web app into build/
package: $(STAMP)
	$(BIN)/bookingctl package

## preview: offline preview of a stack with its policies (STACK=dev|qas|prd)
preview: $(STAMP)
	$(BIN)/bookingctl preview --stack $(STACK)

## openapi: regenerate docs/openapi.json from routes.py and the models
openapi: $(STAMP)
	$(BIN)/bookingctl openapi --write

## bench: run the benchmarks (never part of the test pass)
bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build .devstack .pytest_cache .mypy_cache .ruff_cache
