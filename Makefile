# Two commands a newcomer needs: `make run` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
SEED := seed/yancheng-union-bulletin-2024-02.md
CHROMIUM ?= /usr/bin/chromium
export DEBUG ?= 1

.DEFAULT_GOAL := help
.PHONY: help install run test lint check browser browser-deps nginx-deps pdf-deps reader-checks serve bench two-servers bench-search soak backup restore bench-photos bench-terms bench-docx install-s3

help:  ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

install: $(VENV)/.installed  ## create .venv and install requirements.txt

run: install  ## migrate SQLite, load the seed bulletin, serve on :8000
	$(PY) manage.py migrate --noinput
	$(PY) manage.py import_bulletin $(SEED) --publish --date 2024-02-20 --issue 2024-2
	$(PY) manage.py import_terms review/data/starter_terms.csv
	$(PY) manage.py create_demo_editor
	$(PY) manage.py runserver 127.0.0.1:8000

test: install  ## lint, then the whole test suite (PostgreSQL if DATABASE_URL is set)
	@test -x $(CHROMIUM) || [ "$$(id -u)" != 0 ] || $(MAKE) browser-deps
	@$(PY) -c 'import weasyprint' 2>/dev/null && fc-list | grep -q 'Noto Serif CJK' || [ "$$(id -u)" != 0 ] || $(MAKE) pdf-deps
	@test -x /usr/sbin/nginx || [ "$$(id -u)" != 0 ] || $(MAKE) nginx-deps
	$(VENV)/bin/ruff check .
	DEBUG=0 $(VENV)/bin/pytest

lint: install  ## ruff
	$(VENV)/bin/ruff check .

check: install  ## system checks and a dry-run check for missing migrations
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

soak: install  ## 5 minutes of 32 reader connections + an editor on own PostgreSQL/Redis; prints errors, p99, memory
	$(PY) -m bench.soak

backup: install  ## pg_dump plus media files into backups/DATE/ (or BACKUP=folder); needs DATABASE_URL
	$(PY) manage.py backup $(BACKUP)

restore: install  ## restore BACKUP=folder into the empty DATABASE_URL database and MEDIA_ROOT
	$(PY) manage.py restore $(BACKUP)

browser-deps:  ## install Debian's Chromium and CJK fonts for the browser tests (root)
	apt-get update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=600 chromium fonts-noto-cjk

pdf-deps:  ## install the libraries and CJK fonts WeasyPrint needs for issue PDFs (root)
	apt-get update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=600 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk

reader-checks: install  ## Nu Html Checker, feeds and Lighthouse on the seeded reader pages (npm, java, chromium)
	bash bench/reader_checks.sh

nginx-deps:  ## install Debian's nginx for the tests through deploy/nginx.conf (root)
	apt-get update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=600 nginx

browser: install  ## only the browser tests; screenshots go to test-artifacts/browser/
	DEBUG=0 $(VENV)/bin/pytest tests/browser

serve: install  ## production server: gunicorn, WhiteNoise, DEBUG off (set SECRET_KEY)
	DEBUG=0 $(PY) manage.py migrate --noinput && DEBUG=0 $(PY) manage.py collectstatic --noinput -v0 && DEBUG=0 exec $(VENV)/bin/gunicorn -c gunicorn.conf.py newsroom.wsgi

bench: install  ## 100,000-article benchmark (PostgreSQL, Redis, wrk, nginx); writes BENCH.md
	command -v wrk >/dev/null && command -v nginx >/dev/null || (apt-get update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=600 wrk nginx)
	$(PY) bench/run.py

two-servers: install  ## two app servers on one PostgreSQL + Redis: publish on one, read on the other
	cd bench && ../$(PY) two_servers.py

bench-search: install  ## search p50/p95 at 100,000 articles, page cache off (PostgreSQL DATABASE_URL)
	$(PY) manage.py migrate --noinput && DEBUG=0 $(PY) manage.py collectstatic --noinput -v0 && DEBUG=0 SECURE_SSL_REDIRECT=0 PAGE_CACHE_SECONDS=0 SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') $(PY) manage.py bench_search --articles 100000

bench-photos: install  ## time and peak memory: one 24-megapixel JPEG into all renditions
	$(PY) manage.py bench_photos

bench-terms: install  ## term checks: 10,000 terms against a 10,000-character story (target < 20 ms)
	$(PY) manage.py bench_terms

bench-docx: install  ## time and peak memory: a 30-page, 20-picture story imported from Word
	$(PY) manage.py migrate --noinput -v0 && $(PY) manage.py bench_docx

install-s3: install  ## add django-storages and boto3 for MEDIA_STORAGE=s3
	$(PIP) install --quiet --disable-pip-version-check -r requirements-s3.txt
