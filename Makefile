# The two commands of the README. Each sets up .venv from requirements.lock on first use.
#   make site   build the offline edition (dist/) and the site (site/, which publishes it) from the bundled data
#   make test   run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test serve bundle check lock clean

# The offline edition first: the site's build publishes that zip at downloads/ and links it.
site: $(VENV)/.installed
	$(BIN)/factsite bundle
	$(BIN)/factsite build

test: $(VENV)/.installed
	$(BIN)/python -m pytest

serve: $(VENV)/.installed
	$(BIN)/factsite serve

bundle: $(VENV)/.installed
	$(BIN)/factsite bundle

# With the archived article beside the repository, the check also verifies every quote.
check: $(VENV)/.installed
	$(BIN)/factsite check $(if $(wildcard ../shared/seeds),--texts ../shared/seeds)

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
