# Open Veiligheid - the two set-up commands are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OV := $(BIN)/openveiligheid

.PHONY: demo test install lint format schema assets messages clean bench lock

# Installs the exact versions (and hashes) of requirements.lock, then the project itself without
# resolving anything again, so two installs of the same commit are the same.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Update requirements.lock after changing a dependency in pyproject.toml (pins that still fit are
# kept; `make lock LOCK_ARGS=--upgrade` takes the newest releases), with pip-tools in a venv of its
# own so the tool stays out of the project's venv.
lock:
	test -x var/pip-tools/bin/pip-compile || ($(PYTHON) -m venv var/pip-tools && var/pip-tools/bin/python -m pip install --quiet pip-tools)
	var/pip-tools/bin/pip-compile --quiet $(LOCK_ARGS) --extra test --generate-hashes --allow-unsafe \
		--strip-extras --no-emit-index-url --no-emit-find-links \
		--output-file requirements.lock pyproject.toml

# Front-end assets are built from npm packages into src/openveiligheid/core/static/vendor and
# committed, so `make demo` needs no Node. `make assets` refreshes them (needs npm).
assets:
	npm ci --no-audit --no-fund
	node scripts/build-assets.mjs

demo: $(STAMP)
	mkdir -p var
	$(OV) migrate --noinput
	$(OV) load-demo
	# Debug off, as in production: errors show the product's own pages, never a traceback.
	DEBUG=false $(OV) runserver 127.0.0.1:8000

# The schema of /api/public/ alone, as /api/public/schema/ serves it.
PUBLIC_SCHEMA = --urlconf openveiligheid.public.api.schema_urls --custom-settings openveiligheid.public.api.schema.PUBLIC_SCHEMA_SETTINGS

test: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/lint-imports --no-cache
	$(OV) makemigrations --check --dry-run
	mkdir -p var
	$(OV) spectacular --file var/schema-check.yaml --validate --fail-on-warn
	diff -u src/openveiligheid/api/schema.yaml var/schema-check.yaml
	$(OV) spectacular $(PUBLIC_SCHEMA) --file var/public-schema-check.yaml --validate --fail-on-warn
	diff -u src/openveiligheid/public/api/schema.yaml var/public-schema-check.yaml
	$(BIN)/pytest $(PYTEST_ARGS)

lint:
	$(BIN)/ruff check --fix src tests bench scripts
	$(BIN)/ruff format src tests bench scripts

schema: $(STAMP)
	$(OV) spectacular --file src/openveiligheid/api/schema.yaml --validate --fail-on-warn
	$(OV) spectacular $(PUBLIC_SCHEMA) --file src/openveiligheid/public/api/schema.yaml --validate --fail-on-warn

messages: $(STAMP)
	cd src/openveiligheid && ../../$(OV) makemessages -l en --ignore "*/vendor/*" && ../../$(OV) compilemessages

clean:
	rm -rf $(VENV) var
