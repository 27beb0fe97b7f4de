# Every target sets up .venv first (once), then does its job. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two installs, each once: what building the site needs (the docs extra), then torch and the test tools.
SITE_STAMP := $(VENV)/.installed-site
STAMP := $(VENV)/.installed
# Quiet mkdocs-material's banner about its successor.
export NO_MKDOCS_2_WARNING := 1
# Reproducible builds: the site's dates (sitemap, archives) are the last commit's, not the build machine's clock.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
# Bytecode is cached, in .cache/pycache (never in src/, which make serve watches). Where the environment sets
# PYTHONDONTWRITEBYTECODE, every new Python process would compile all it imports afresh: 8 s for torch alone on a
# 2-core machine, paid again by each site build, notebook run and command-line test the tests start.
unexport PYTHONDONTWRITEBYTECODE
export PYTHONPYCACHEPREFIX := $(CURDIR)/.cache/pycache

.PHONY: site serve offline test test-page examples lint lock clean setup notebooks
.DEFAULT_GOAL := site

setup: $(STAMP)

# Re-run only when the dependency lists change. hatchling is installed first and the project is built
# without isolation, so the build back end is pinned by constraints.txt like everything else. setuptools builds
# jsmin and csscompressor (mkdocs-minify-plugin's), which ship only sources; the venv's own setuptools (65, from
# ensurepip) cannot build a wheel, and pip freeze leaves setuptools out of constraints.txt, so it is pinned here.
# --no-compile: Python compiles a module when it is first imported (into PYTHONPYCACHEPREFIX), not every file of
# every package now.
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-compile -c constraints.txt
$(SITE_STAMP): pyproject.toml constraints.txt
	@echo "Installing the packages to build the site into $(VENV) (once; no torch)..."
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(PIP_INSTALL) "pip==26.3" "setuptools==84.2.1" hatchling editables
	@$(PIP_INSTALL) --no-build-isolation -e ".[docs]"
	@touch $(SITE_STAMP)

$(STAMP): $(SITE_STAMP)
	@echo "Installing torch and the test tools into $(VENV) (once)..."
	@$(PIP_INSTALL) --no-build-isolation -e ".[test]"
	@touch $(STAMP)

site: $(SITE_STAMP)
	$(BIN)/mkdocs build --strict --site-dir site
	@echo "Site built in site/. Open it with 'make serve' (http://127.0.0.1:8000/)"
	@echo "or serve the folder: $(BIN)/python -m http.server --directory site --bind 127.0.0.1 8000"

# A copy of the site that works opened from disk (file://): pages link to .html files, search runs without a server.
# It goes to site-offline/ and, zipped, to conv-docs-offline.zip (see README.md, "Publish").
offline: $(SITE_STAMP)
	rm -rf site-offline conv-docs-offline.zip
	OFFLINE=true $(BIN)/mkdocs build --strict --site-dir site-offline
	$(BIN)/python -c "import shutil; shutil.make_archive('conv-docs-offline', 'zip', 'site-offline')"
	@echo "Offline copy in site-offline/ (open site-offline/index.html) and conv-docs-offline.zip"

# make serve PORT=8001. Served without --strict, so that a warning shows (in the terminal and on top of the page)
# instead of stopping the build; make site and the tests stay strict. The bytecode goes to .cache/pycache: a .pyc
# under src/, which is watched (a change to the library rebuilds), would rebuild the site for nothing.
PORT ?= 8000
serve: $(SITE_STAMP)
	$(BIN)/mkdocs serve --no-strict --dev-addr 127.0.0.1:$(PORT)

# The examples of one page, in seconds: make test-page PAGE=docs/guide/padding.md
test-page: $(STAMP)
	@test -n "$(PAGE)" || { echo "make test-page: name the page, for example PAGE=docs/guide/padding.md"; exit 2; }
	HYPOTHESIS_PROFILE=quick $(BIN)/python -m pytest -n0 -q $(PAGE)

# Rewrite the #> output blocks of the docs' examples from a real run and format their fences with ruff, for one page
# (make examples PAGE=docs/guide/padding.md) or every page. A page whose examples fail is left as it was.
examples: $(STAMP)
	HYPOTHESIS_PROFILE=quick $(BIN)/python -m pytest -n0 -q --update-examples $(or $(PAGE),docs README.md CONTRIBUTING.md)

# Two pytest-xdist workers, a test file each at a time; they share one site build (tests/conftest.py). On this
# 2-core machine that took a full run from 625 s to 527 s (bench/RESULTS.md). PYTEST_FLAGS="-n 0" runs in one process.
PYTEST_FLAGS ?= -n 2 --dist loadfile
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_FLAGS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Run every notebook afresh and store its outputs in it (the site shows the stored outputs; make test checks them).
notebooks: $(STAMP)
	$(BIN)/python -m conv_docs.site.notebooks docs/notebooks/*.ipynb

# A PNG of every page at 375 and 1280 px, light and dark, in screenshots/ (builds the site; Debian's Chromium).
.PHONY: screenshots
screenshots: $(STAMP)
	$(BIN)/python -m bench.screenshots --out screenshots

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | sed 's/^torch==2.13.0+cpu$$/torch==2.13.0/' > constraints.txt

clean:
	rm -rf site site-offline conv-docs-offline.zip .cache
