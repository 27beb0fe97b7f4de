# Every target sets up .venv first (once), then does its job. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Quiet mkdocs-material's banner about its successor.
export NO_MKDOCS_2_WARNING := 1
# Reproducible builds: the site's dates (sitemap, archives) are the last commit's, not the build machine's clock.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

.PHONY: site serve test lint lock clean setup notebooks
.DEFAULT_GOAL := site

setup: $(STAMP)

# Re-run only when the dependency lists change. hatchling is installed first and the project is built
# without isolation, so the build back end is pinned by constraints.txt like everything else.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "pip==26.3"
	$(BIN)/python -m pip install --quiet -c constraints.txt hatchling editables
	$(BIN)/python -m pip install --quiet --no-build-isolation -c constraints.txt -e ".[test]"
	@touch $(STAMP)

site: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir site
	@echo "Site built in site/. Open it with 'make serve' (http://127.0.0.1:8000/)"
	@echo "or serve the folder: $(BIN)/python -m http.server --directory site --bind 127.0.0.1 8000"

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/python -m pytest
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Run every notebook afresh and store its outputs in it (the site shows the stored outputs; make test checks them).
notebooks: $(STAMP)
	$(BIN)/python -m conv_docs.site.notebooks docs/notebooks/*.ipynb

# A PNG of every page at 375 and 1280 px, light and dark, in screenshots/ (builds the site; Debian's Chromium).
.PHONY: screenshots
screenshots: $(STAMP)
	$(BIN)/python bench/screenshots.py --out screenshots

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | sed 's/^torch==2.13.0+cpu$$/torch==2.13.0/' > constraints.txt

clean:
	rm -rf site .cache
