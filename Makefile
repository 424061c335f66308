# The two commands of the README. Each sets up .venv from requirements.lock on first use.
#   make site   build the site from the bundled data into site/
#   make test   run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test serve bundle check lock clean

site: $(VENV)/.installed
	$(BIN)/factsite build

test: $(VENV)/.installed
	$(BIN)/python -m pytest

serve: $(VENV)/.installed
	$(BIN)/factsite serve

bundle: $(VENV)/.installed
	$(BIN)/factsite bundle

# Every quote is verified against data/sources/ in any checkout. `make check TEXTS=DIR`, with a
# folder of archived source texts, also checks that the verification data still matches them.
TEXTS ?=
check: $(VENV)/.installed
	$(BIN)/factsite check $(if $(TEXTS),--texts $(TEXTS))

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --requirement requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --editable .
	touch $@

# Re-resolve the dependencies of pyproject.toml and pin every version in requirements.lock.
lock:
	$(PYTHON) scripts/lock.py

clean:
	rm -rf $(VENV) site dist .cache
