# Two entry points: `make run` (extract samples/ into outputs/, with the review page) and `make test`.
# Every install is hash-checked from requirements/: the pinned pip first (bootstrap.lock), then the
# runtime lock (run) and the dev lock on top of it (test). `make lock` rewrites all three from
# pyproject.toml and requirements/bootstrap.in; `make lock UPGRADE=--upgrade` moves to newer releases.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LOCKS := requirements
PIP_INSTALL := $(BIN)/python -m pip install --quiet --require-hashes --no-deps
UV_COMPILE := $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes --custom-compile-command "make lock" $(UPGRADE)

.PHONY: install install-dev run test lock clean

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

$(VENV)/.bootstrap: $(LOCKS)/bootstrap.lock
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r $(LOCKS)/bootstrap.lock
	touch $@

$(VENV)/.runtime: $(LOCKS)/runtime.lock pyproject.toml $(VENV)/.bootstrap
	$(PIP_INSTALL) -r $(LOCKS)/runtime.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	touch $@

$(VENV)/.dev: $(LOCKS)/dev.lock $(VENV)/.runtime
	$(PIP_INSTALL) -r $(LOCKS)/dev.lock
	$(BIN)/python -m pip check
	touch $@

run: $(VENV)/.runtime
	$(BIN)/extract-agreements extract samples -o outputs
	$(BIN)/extract-agreements report outputs -o outputs/report.html

test: $(VENV)/.dev
	$(BIN)/python -m pytest

# The pinned uv comes from the current dev lock, without installing the project: a dependency
# just added to pyproject.toml is not installable until it is locked.
lock: $(VENV)/.bootstrap
	$(PIP_INSTALL) -r $(LOCKS)/dev.lock
	$(UV_COMPILE) -o $(LOCKS)/bootstrap.lock $(LOCKS)/bootstrap.in
	$(UV_COMPILE) -o $(LOCKS)/runtime.lock pyproject.toml
	$(UV_COMPILE) --all-extras -c $(LOCKS)/runtime.lock -o $(LOCKS)/dev.lock pyproject.toml

clean:
	rm -rf $(VENV)
