# Every target bootstraps .venv itself: a fresh clone needs nothing but Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
CATALOGS := platform/shebao/translations
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(CATALOGS)/*/LC_MESSAGES/messages.po))

.PHONY: run test lint format i18n i18n-extract i18n-compile bench check schema screenshots deploy-test clean

run: $(STAMP) $(MO_FILES)
	$(BIN)/shebao db upgrade
	$(BIN)/shebao seed-demo --if-empty
	@echo "Binzhou: http://binzhou.localhost:$(PORT)   Dezhou: http://dezhou.localhost:$(PORT)"
	$(BIN)/shebao run --host $(HOST) --port $(PORT)

test: $(STAMP) $(MO_FILES)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check platform tests bench
	$(BIN)/ruff format --check platform tests bench
	cd platform && ../$(BIN)/lint-imports ../pyproject.toml

format: $(STAMP)
	$(BIN)/ruff format platform tests bench
	$(BIN)/ruff check --fix platform tests bench

check: $(STAMP)
	$(BIN)/shebao check

schema: $(STAMP)
	$(BIN)/shebao schema

bench: $(STAMP) $(MO_FILES)
	$(BIN)/python bench/run.py

# The production shape on this machine: PostgreSQL, Redis, a worker, two Gunicorn nodes and
# nginx, both cities driven through nginx, one node killed midway (scripts/deploy_test.py).
# DEPLOY_TEST_ARGS="--redis-url redis://127.0.0.1:6379/N --postgres-url postgresql://…"
deploy-test: $(STAMP) $(MO_FILES)
	$(BIN)/python scripts/deploy_test.py $(DEPLOY_TEST_ARGS)

# Full-page shots of every menu page of both cities, 375 and 1280 px, standard and care mode.
screenshots: $(STAMP) $(MO_FILES)
	$(BIN)/python scripts/screenshots.py --out screenshots

# Translations: extract messages, merge them into every catalogue, compile.
i18n: i18n-extract i18n-compile

i18n-extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o $(CATALOGS)/messages.pot platform cities themes
	$(BIN)/pybabel update -i $(CATALOGS)/messages.pot -d $(CATALOGS) --no-fuzzy-matching -w 100

i18n-compile: $(MO_FILES)

$(CATALOGS)/%/LC_MESSAGES/messages.mo: $(CATALOGS)/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile -i $< -o $@

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	rm -f $(VENV)/.installed-*
	touch $@

clean:
	rm -rf $(VENV) instance .pytest_cache
