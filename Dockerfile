# One image for web, worker and beat: the three must always run the same code, so a
# task queued by one release is executed by that release.
FROM python:3.11-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=jetadmin.settings.production

# fonts-noto-cjk: Japanese text in generated documents must render without network font
# fetches. libpango: WeasyPrint lays out the contract PDFs with it. gettext:
# compilemessages below. libpq5: the PostgreSQL client library. curl: the healthcheck.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        curl \
        fonts-noto-cjk \
        gettext \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libpq5 \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system jetadmin \
 && useradd --system --gid jetadmin --no-create-home --home-dir /app \
        --shell /usr/sbin/nologin jetadmin

WORKDIR /app

# Requirements first, so a code-only change reuses the cached dependency layer.
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .

# Translations and static files are baked in so containers start without writing to
# the code tree. The build values only satisfy production settings; nothing connects
# to a database here.
RUN export DJANGO_SETTINGS_MODULE=jetadmin.settings.production \
        SECRET_KEY=build-only \
        DATABASE_URL=postgres://build@localhost/build \
        ALLOWED_HOSTS=localhost \
        CACHE_URL=locmemcache:// \
 && python manage.py compilemessages \
 && python manage.py collectstatic --noinput

# The code stays owned by root, so a compromised process cannot rewrite it; only the
# private upload directory is writable by the app user. Creating it here also gives a
# fresh named volume mounted on it the right owner.
RUN mkdir -p /app/media && chown jetadmin:jetadmin /app/media

USER jetadmin

EXPOSE 8000

# The settings file reads WEB_CONCURRENCY and the rest at start-up; gunicorn is PID 1 and
# receives SIGTERM.
CMD ["gunicorn", "jetadmin.wsgi:application", "--config", "jetadmin/gunicorn_conf.py"]
