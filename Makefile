# Hearth: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs the suite.
# Both create .venv and install the pinned requirements first; only Python 3.11+ is needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := DEBUG=1 $(BIN)/python manage.py
PYTEST_ARGS ?=

.PHONY: venv dev run test test-instants fuzz prod-check lint format bench bench-smoke clean messages

venv: $(VENV)/.runtime-installed

dev: $(VENV)/.dev-installed

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Hearth needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime-installed

run: venv
	@mkdir -p var
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_demo
	@echo "Hearth is at http://127.0.0.1:8000 (Ctrl-C stops it)"
	$(MANAGE) runserver 127.0.0.1:8000

test: dev
	@mkdir -p var
	$(BIN)/pytest -n auto --dist loadfile $(PYTEST_ARGS)

# The date-sensitive modules, run again at instants where calendars bite: late on a Saturday that is the last evening
# of a leap February (already Sunday, March 1 in UTC), and the night clocks spring forward. HEARTH_TEST_NOW
# (tests/conftest.py) starts each run's clock there; it keeps ticking. CI runs this beside the fuzz. Another instant,
# e.g. the night clocks fall back: make test-instants TEST_INSTANTS=2026-11-01T01:30:00-05:00
TEST_INSTANTS ?= 2048-02-29T23:45:00-06:00 2026-03-08T01:30:00-06:00
# Modules whose every test pins its own clock (tests/clock.py) gain nothing here and are left out.
DATE_SENSITIVE_TESTS := \
	tests/demo/test_glance_demo.py tests/demo/test_intake_demo.py tests/demo/test_invitations_demo.py \
	tests/demo/test_retention_demo.py tests/demo/test_rules_es_demo.py tests/demo/test_seed_demo.py \
	tests/demo/test_seed_scale_beside_demo.py tests/demo/test_spanish_demo.py tests/demo/test_two_factor_demo.py \
	tests/billing/test_seed.py tests/billing/online/test_online_demo.py tests/compliance/test_demo_seed.py \
	tests/residents/test_chores_seed.py tests/residents/test_phases_seed.py tests/residents/test_drug_tests_demo.py \
	tests/pages/test_house_life_demo.py tests/pages/test_portal_demo.py \
	tests/residents/test_signouts_services.py tests/residents/test_curfew_tonight.py \
	tests/pages/test_house_life_sign_out_and_return.py tests/pages/test_house_life_meetings_signouts.py \
	tests/pages/test_house_life_dashboard.py tests/pages/test_portal_sign_out.py tests/pages/test_portal_home.py \
	tests/residents/test_chores_api.py tests/residents/test_chores_marking.py tests/residents/test_chores_rotation.py \
	tests/pages/test_house_life_chores.py tests/pages/test_portal_records.py tests/pages/test_portal_passes.py \
	tests/residents/test_drug_tests_draws.py tests/residents/test_drug_tests_results.py \
	tests/residents/test_meetings_services.py tests/residents/test_meetings_api.py tests/pages/test_portal_meetings.py \
	tests/billing/test_rent_posting.py tests/billing/test_late_fees.py \
	tests/compliance/test_reminders.py tests/compliance/test_drills.py tests/compliance/test_certification.py \
	tests/reports/test_reports_api.py tests/reports/test_reports_page_and_pdf.py \
	tests/reports/test_money_demo.py tests/reports/test_transfers_demo.py tests/reports/test_month_close_demo.py \
	tests/billing/online/test_autopay_demo.py tests/billing/online/test_connect_demo.py \
	tests/billing/online/test_payment_alerts_demo.py tests/billing/online/test_pending_debit_demo.py \
	tests/billing/online/test_durable_webhooks_demo.py tests/spreadsheets/test_imports_demo.py \
	tests/exports/test_exports_demo.py tests/demo/test_peer_demo.py

# The instants run side by side, one test process each: a process seeds the demo once, so one process per instant
# does the same work as a pair of workers per instant in half the seeding. Each run's output: var/instants-<n>.log
# (printed whole when it failed).
test-instants: dev
	@mkdir -p var
	@n=0; pids=""; for instant in $(TEST_INSTANTS); do \
		n=$$((n + 1)); \
		HEARTH_TEST_NOW=$$instant $(BIN)/pytest -p no:cacheprovider $(DATE_SENSITIVE_TESTS) $(PYTEST_ARGS) \
			> var/instants-$$n.log 2>&1 & pids="$$pids $$!"; \
	done; \
	failed=""; n=0; for instant in $(TEST_INSTANTS); do \
		n=$$((n + 1)); pid=$$(echo $$pids | cut -d" " -f$$n); \
		echo "== date-sensitive tests at $$instant =="; \
		if wait $$pid; then tail -n 3 var/instants-$$n.log; else cat var/instants-$$n.log; failed="$$failed $$instant"; fi; \
	done; \
	if [ -n "$$failed" ]; then echo "failed at:$$failed"; exit 1; fi

# Schemathesis over the whole API as an operator, a manager and a resident, against gunicorn on PostgreSQL (.ci/fuzz):
# a throwaway database (FUZZ_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/hearth_fuzz), a fixed seed and
# bounded examples; fails on any 5xx or schema violation. CI runs it after the tests.
fuzz: dev
	.ci/fuzz

# The README's production deployment started on the loopback (.ci/prod_check): a PostgreSQL database of its own
# (hearth_prodcheck_<pid> on PROD_CHECK_DATABASE_URL's server), gunicorn with DEBUG unset, a Celery worker and beat on
# two private redis-server processes, WhiteNoise, a Stripe stand-in; one resident's month driven over HTTP, /healthz
# checked, everything stopped and dropped. CI runs it.
prod-check: dev
	.ci/prod_check

lint: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(MANAGE) makemigrations --check --dry-run

format: dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The Spanish catalogue (locale/es/LC_MESSAGES): every msgid in the code extracted into django.po (new ones empty,
# translations kept), then compiled into django.mo, which is committed so `make run` needs no gettext. Needs GNU
# gettext (xgettext, msgfmt). Tests, bench, docs, static and var are left out. README, "Languages".
MESSAGES_IGNORE := --ignore=.venv --ignore=var --ignore=tests --ignore=bench --ignore=static --ignore=docs \
	--ignore=node_modules

messages: dev
	@command -v xgettext >/dev/null 2>&1 || { echo "make messages needs GNU gettext (apt-get install gettext)"; exit 1; }
	$(MANAGE) makemessages -l es -e html,txt,py --add-location=file $(MESSAGES_IGNORE)
	$(MANAGE) compilemessages -l es --ignore=.venv

clean:
	rm -rf $(VENV) var/test-media .pytest_cache

# The benchmark suite (bench/suite.py) on PostgreSQL: at 30, 300 and 3,000 houses (hearth_bench_<N> on DATABASE_URL's
# server, default postgres://postgres@127.0.0.1:5432/, seeded with seed_scale once), pages and APIs per role, nightly
# jobs, the organization PDF and 60 s of locust against gunicorn; tables and JSON in bench/results/, each figure
# marked against the scale targets. Options in BENCH_ARGS, e.g. BENCH_ARGS="--sizes 30,300 --no-pdf". bench-smoke is
# CI's untimed run at 30 houses. The monthly report's own benchmark: DEBUG=1 .venv/bin/python bench/reports.py
BENCH_ARGS ?=

bench: dev
	$(BIN)/python bench/suite.py $(BENCH_ARGS)

bench-smoke: dev
	$(BIN)/python bench/suite.py --smoke $(BENCH_ARGS)
