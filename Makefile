# OnPromet — the entry points. `make run` to try it, `make test` to check it.
# Both work from a fresh clone: they install what is missing and skip what is done.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
CHROMIUM ?= /usr/bin/chromium

.DEFAULT_GOAL := help
.PHONY: help install services db demo run test check bench bench-email bench-web wrk lint format check-deploy chromium java clean

help:
	@echo "make run    — installe, prépare la base et les données de démo, lance le site"
	@echo "make test   — installe, vérifie le style (ruff) et lance tous les tests"
	@echo "make check  — seulement les contrôles qualité (pages, en-têtes, HTML, accessibilité…)"
	@echo "make lint   — ruff et bandit ; make format pour reformater"
	@echo "make bench  — mesures de performance : e-mails (make bench-email N=100000) et pages (make bench-web)"
	@echo "make bench-web — débit des pages sous gunicorn, mesuré par wrk (ARGS=\"--duration 5\")"

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(BIN)/.installed node_modules/.installed

# Stops with one clear sentence when Postgres or Redis is not reachable; creates the database.
services: install
	@$(PY) -m onpromet.preflight

# The communes (promises/places.py) come from node_modules; reloaded only when their files
# changed (a fraction of a second otherwise).
db: services
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_communes

# load_communes again: the demo's promises get their commune (the files are not read again).
demo: db
	$(PY) manage.py seed_demo
	$(PY) manage.py load_communes

run: demo
	@echo ""
	@echo "  OnPromet tourne sur http://127.0.0.1:8000/  (Ctrl+C pour arrêter)"
	@echo "  Les e-mails (liens de confirmation) s'affichent ici, dans la console."
	@echo ""
	@mkdir -p var
	$(BIN)/honcho start -f Procfile

# What the tests and benchmarks need from Debian, installed when missing and we are root (as CI
# is); otherwise one line says how. $(call apt_install,check,packages,name): the packages are
# installed when the shell check fails ("command -v wrk", "test -f a-font.ttf").
define apt_install
	@if ! $(1) >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ]; then \
			echo "Installation de $(3) (Debian)…"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
		else \
			echo "$(3) manque : sudo apt-get install $(2)"; exit 1; \
		fi; \
	fi
endef

# Browser tests drive Debian's Chromium.
chromium:
	$(call apt_install,command -v $(CHROMIUM),chromium,Chromium)

# The HTML validator (vnu.jar, from npm) runs on Java.
java:
	$(call apt_install,command -v java,default-jre-headless,Java)

# The web benchmark loads pages with wrk.
wrk:
	$(call apt_install,command -v wrk,wrk,wrk)

# The share images of a promise are drawn in Lato (promises/share_images.py), its poster and
# flyers in DejaVu Sans (promises/print.py): the site serves them and the tests draw them.
# Noto Color Emoji: the themes' icons are emoji, which phones draw; Chromium here needs it.
.PHONY: fonts
fonts:
	$(call apt_install,test -f /usr/share/fonts/truetype/lato/Lato-Bold.ttf -a -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf -a -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf,fonts-lato fonts-dejavu-core fonts-noto-color-emoji,Lato/DejaVu/Noto Color Emoji)
run test check: fonts

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit --quiet --configfile pyproject.toml --recursive onpromet accounts notifications organisations promises discussions demo

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install db chromium java lint
	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(BIN)/pytest $(PYTEST_ARGS)

# Only the quality gates (crawl, headers, HTML, accessibility, hostile input, access, abuse).
check: install services chromium java lint
	$(BIN)/pytest onpromet/tests $(PYTEST_ARGS)

# Benchmarks (never part of `make test`). N sets the size: make bench-email N=20000
bench: bench-email bench-web

bench-email: install services
	$(PY) -m bench.bench_email --n $(or $(N),100000)

# Pages under gunicorn (production settings, 2 workers) on a database of its own; ARGS passes
# options through, e.g. make bench-web ARGS="--duration 5 --rounds 3".
bench-web: install services wrk
	$(PY) -m bench.bench_web $(ARGS)

# Production settings must pass Django's deployment checks.
check-deploy: install
	DEBUG=false SECRET_KEY=$$(openssl rand -hex 32) ALLOWED_HOSTS=onpromet.example \
		$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules var
