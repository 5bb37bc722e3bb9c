# PCKB Hub — two commands: `make demo` and `make test`. Everything else is optional.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp
PCKB_PORT ?= 8000
export PCKB_PORT

.PHONY: demo test bench lint setup venv serve system-deps clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	# PYTHONWARNINGS reaches pip's isolated build too: no screens of setuptools deprecation notes.
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet --upgrade pip
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet --quiet -e ".[dev]"
	touch $(STAMP)

# The map's browser libraries (Leaflet and plugins) from the committed package-lock.json; Django serves their
# dist folders (settings.STATICFILES_DIRS). Nothing from node_modules is committed.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "Thiếu npm (gói Debian: npm). Chạy: sudo apt-get install npm" >&2; exit 1; }
	npm ci --omit=dev --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

venv: $(STAMP) $(NODE_STAMP)

system-deps:
	@bash scripts/system-deps.sh

setup: venv
	$(BIN)/pckb setup

demo: venv
	$(BIN)/pckb demo
	$(BIN)/pckb serve --demo --port $(PCKB_PORT) --with-worker

serve: venv
	$(BIN)/pckb serve --port $(PCKB_PORT) --with-worker

test: venv system-deps
	$(BIN)/pckb manage compile_translations --verbosity 0
	$(BIN)/python -m pytest

bench: venv
	$(BIN)/python bench/allocation.py
	$(BIN)/python bench/allocation_extensions.py
	$(BIN)/python bench/directory.py
	$(BIN)/python bench/training_analysis.py
	$(BIN)/python bench/training_documents.py
	$(BIN)/python bench/training_checkin.py
	$(BIN)/python bench/protection_import.py
	$(BIN)/python bench/protection_map.py
	$(BIN)/python bench/deployment_planner.py
	$(BIN)/python bench/response_activation.py
	$(BIN)/python bench/reports_national.py
	$(BIN)/python bench/plans_tasks.py
	@if [ -n "$$PCKB_AUDIT_BENCH_DATABASE_URL$$PCKB_DATABASE_URL" ]; then $(BIN)/python bench/audit_concurrency.py; \
	  else echo "bench/audit_concurrency.py skipped: set PCKB_AUDIT_BENCH_DATABASE_URL (PostgreSQL)"; fi
	@if $(BIN)/python -c "import os, redis; redis.Redis.from_url(os.environ.get('PCKB_REDIS_URL') or 'redis://127.0.0.1:6379/14', socket_timeout=2).ping()" 2>/dev/null; \
	  then $(BIN)/python bench/live_fanout.py; \
	  else echo "bench/live_fanout.py skipped: needs Redis (PCKB_REDIS_URL or 127.0.0.1:6379)"; fi

lint: venv
	$(BIN)/ruff check .
	$(BIN)/pckb manage check
	$(BIN)/pckb manage makemigrations --check --dry-run
	PCKB_DEBUG=0 PCKB_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(60))') \
	  PCKB_ALLOWED_HOSTS=pckb.example $(BIN)/pckb manage check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var .pytest_cache
