# Shuangchuang — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_ENTERPRISES ?= 20000
DEMO_SEED ?= 2016
WORKERS ?= 2
export SHUANGCHUANG_VAR_DIR ?= $(CURDIR)/var

.PHONY: install run serve test test-postgres test-browser bench messages clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

install: $(BIN)/.installed

## Set up (virtualenv, install, migrate, demo city) and serve with gunicorn at http://$(HOST):$(PORT).
run: install
	mkdir -p $(SHUANGCHUANG_VAR_DIR)
	$(BIN)/shuangchuang migrate --noinput -v 0
	$(BIN)/shuangchuang collectstatic --noinput -v 0
	$(BIN)/shuangchuang demo --if-empty --enterprises $(DEMO_ENTERPRISES) --seed $(DEMO_SEED)
	$(MAKE) --no-print-directory serve

serve:
	@echo "Serving at http://$(HOST):$(PORT)/  (Ctrl-C stops the server and the task worker)"
	@$(BIN)/shuangchuang db_worker --queue-name default > $(SHUANGCHUANG_VAR_DIR)/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn shuangchuang.wsgi:application --bind $(HOST):$(PORT) --workers $(WORKERS) --threads 4 \
		--access-logfile - --forwarded-allow-ips 127.0.0.1

## The whole suite on SQLite (browser tests excluded; .ci/run runs them).
test: install
	$(BIN)/pytest -q -n 2

test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/shuangchuang_ci} $(BIN)/pytest -q -n 2

test-browser: install
	$(BIN)/pytest -q -m browser -p no:xdist

messages: install
	cd shuangchuang && ../$(BIN)/shuangchuang makemessages -l zh_Hans --no-obsolete --no-location && ../$(BIN)/shuangchuang compilemessages -l zh_Hans

bench: install
	$(BIN)/python benchmarks/demo_city.py --enterprises 2400000 --database sqlite
	$(BIN)/python benchmarks/demo_city.py --enterprises 2400000 --database postgres

clean:
	rm -rf $(VENV) build *.egg-info
