# The two commands of the README. Each sets up .venv from requirements.lock on first use.
#   make site   build the offline edition (dist/) and the site (site/, which publishes it) from the bundled data
#   make test   run the whole test suite
# For contributors (CONTRIBUTING.md):
#   make serve  preview at http://127.0.0.1:8000/factsite/, reloading on change (make serve ADDR=0.0.0.0:8000)
#   make hooks  run .pre-commit-config.yaml's checks on every `git commit` (pre-commit comes from the lock)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test serve hooks bundle check lock clean

# The offline edition first: the site's build publishes that zip at downloads/ and links it.
site: $(VENV)/.installed
	$(BIN)/factsite bundle
	$(BIN)/factsite build

test: $(VENV)/.installed
	$(BIN)/python -m pytest

# The address to serve the preview on, HOST:PORT; the site's path (/factsite/, from site_url) follows it.
ADDR ?= 127.0.0.1:8000

serve: $(VENV)/.installed
	$(BIN)/factsite serve --dev-addr $(ADDR)

hooks: $(VENV)/.installed
	$(BIN)/pre-commit install

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
