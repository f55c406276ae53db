# Two entry points: `make run` (extract samples/ into outputs/, with the review page) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test clean

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/extract-agreements extract samples -o outputs
	$(BIN)/extract-agreements report outputs -o outputs/report.html --inputs samples

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV)
