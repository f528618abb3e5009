# One-line targets. `make run` and `make test` set everything up on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test lint format bench migrate demo messages

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	mkdir -p node_modules && touch $@

setup: $(BIN)/.installed node_modules/.installed

migrate: setup
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

# The server and, in embedded mode, the periodic jobs (reminders, digests, the
# delivery sweep) beside it; if either dies, both stop with a message. With
# REDIS_URL set, run celery worker and beat instead of the embedded runner.
run: demo
	$(BIN)/python manage.py serve --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports

format: setup
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

messages: setup
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests
	$(BIN)/python manage.py makemessages -d djangojs -l en --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests
	$(BIN)/python manage.py compilemessages -l en --ignore=.venv

bench: setup
	$(BIN)/python bench/board_fanout.py
	$(BIN)/python bench/notify_fanout.py
