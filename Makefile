# The two commands: `make run` serves the app with demo data; `make test` runs the suite.
PY := .venv/bin/python
PIP := .venv/bin/pip
VENV_STAMP := .venv/.installed-$(shell cat requirements.txt requirements-dev.txt | md5sum | cut -c1-8)

.PHONY: run test lint format messages check-fonts bench clean

.venv/bin/python:
	python3.11 -m venv .venv || python3 -m venv .venv

$(VENV_STAMP): .venv/bin/python requirements.txt requirements-dev.txt
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	rm -f .venv/.installed-*
	touch $(VENV_STAMP)

venv: $(VENV_STAMP)

run: venv
	@$(MAKE) --no-print-directory check-fonts
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "jetadmin is at http://127.0.0.1:8000/  (API docs at /api/docs/, health at /healthz)"
	$(PY) manage.py runserver 127.0.0.1:8000

test: venv
	bash .ci/services
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	DJANGO_SETTINGS_MODULE=jetadmin.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest --create-db $(PYTEST_ARGS)

lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: venv
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Extract and compile the catalogues (needs GNU gettext; the compiled .mo files are
# committed so that `make run` works without it).
messages: venv
	$(PY) manage.py makemessages -l ja --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=bench
	$(PY) manage.py compilemessages --ignore=.venv

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

clean:
	rm -rf .venv db.sqlite3 staticfiles
