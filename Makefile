# Every target bootstraps the virtual environment it needs: a fresh clone with Python is enough.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install test lint check clean templates package deploy demo bench soak audit

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)  ## Create .venv with the project and its dev tools

demo: $(STAMP)  ## The whole system end to end against the emulator, narrated (no AWS account)
	$(BIN)/python -m snapshot_schedule_cli.demo

# Figures only: a slow run never fails the build (the exit status reflects errors, not timings).
bench: $(STAMP)  ## Benchmarks against the emulator; writes bench/REPORT.md (a few minutes)
	$(BIN)/python -m bench

test: $(STAMP)  ## Run the test suite
	$(BIN)/pytest -q

# A failure prints the seed and the shortest operation sequence that reproduces it.
OPERATIONS ?= 1000
soak: $(STAMP)  ## Randomised lifecycles under faults, checking invariants: make soak [SEED=…]
	$(BIN)/python -m tests.soak --operations $(OPERATIONS) $(if $(SEED),--seed $(SEED))

# Without network pip-audit cannot reach its database: reported as NOT AUDITED, not fatal.
audit: $(STAMP)  ## pip-audit of the installed dependencies (fails only on a known vulnerability)
	$(BIN)/python -m tests.security.audit

lint: $(STAMP)  ## ruff (lint + format check) and mypy strict on the product packages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# checkov pins its own (old) boto3: it lives in a virtual environment of its own.
CHECKOV_VERSION := 3.3.30
CHECKOV_VENV := .venv-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed-$(CHECKOV_VERSION)

$(CHECKOV_STAMP):
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/pip install --quiet 'checkov==$(CHECKOV_VERSION)'
	touch $(CHECKOV_STAMP)

templates: $(STAMP) $(CHECKOV_STAMP)  ## cfn-lint (with cfn_lint_rules/) and checkov on every template
	$(BIN)/cfn-lint
	$(CHECKOV_VENV)/bin/checkov --quiet --compact --skip-download --framework cloudformation terraform \
		--directory templates

package: $(STAMP)  ## Build dist/snapshot-schedule.zip (both functions, reproducible)
	$(BIN)/python scripts/package.py --output dist/snapshot-schedule.zip

# make deploy BUCKET=my-artifacts DEST_REGION=eu-central-1 [STACK=…] [REGION=…] [SCHEDULE=…]
#             [PARAMS="K=V …"]   (see docs/deployment.md)
AWS ?= $(shell command -v aws 2>/dev/null || echo $(BIN)/aws)
DEPLOY_ENV = BUCKET='$(BUCKET)' DEST_REGION='$(DEST_REGION)' STACK='$(STACK)' REGION='$(REGION)' \
	PREFIX='$(PREFIX)' SCHEDULE='$(SCHEDULE)' PARAMS='$(PARAMS)' AWS='$(AWS)'

deploy: $(STAMP)  ## Deploy the main stack: make deploy BUCKET=… DEST_REGION=… [STACK=…] [PARAMS="K=V …"]
	@$(DEPLOY_ENV) scripts/deploy.sh preflight
	@$(MAKE) --no-print-directory package
	@$(DEPLOY_ENV) scripts/deploy.sh deploy

check: lint templates test audit  ## Every gate: lint, types, templates, tests, audit

clean:  ## Remove the virtual environment and caches
	rm -rf $(VENV) .venv-py312 $(CHECKOV_VENV) .pytest_cache .mypy_cache .ruff_cache build dist *.egg-info
