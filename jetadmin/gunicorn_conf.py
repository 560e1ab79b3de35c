"""gunicorn as production serves jetadmin (docker-compose.yml, docs/deployment.md), and as
bench/load.py measures it. Each setting can be moved by the environment; the defaults are
the ones the load bench chose on a 2-core host (figures in docs/deployment.md)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Every request is mostly Python holding the GIL, with short waits on PostgreSQL and
# Redis: processes scale with cores, threads only cover those waits.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# Keep-alive with the reverse proxy in front saves a TCP handshake per request.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# A worker is replaced after this many requests, so a slow leak never grows unbounded.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# The app is imported once before the fork: less memory per worker, faster restarts.
# Django opens no connection at import, so no socket is shared across the fork.
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
