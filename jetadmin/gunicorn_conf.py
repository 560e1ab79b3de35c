"""gunicorn as production serves jetadmin (docker-compose.yml, docs/deployment.md), and as
bench/load.py measures it. Each setting can be moved by the environment; the defaults are
the ones the load bench chose on a 2-core host (figures in docs/deployment.md)."""

import gc
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

# Python's cycle collector walks every object a worker holds: a full collection over a warm
# worker's 220,000 took 120 ms, more than a request's whole budget, and the younger ones
# ran 0.3 ms a request (the lists allocate most). The modules, URLs, templates and kept
# query shapes live as long as the worker, so they are frozen out of its walks, as the gc
# module's documentation advises for a server that forks: what the preload made, in the
# master before each fork (which also keeps the workers' copies of those pages shared),
# and what a worker builds on its first requests, once it has served them. Measured in
# docs/deployment.md; 0 turns it off.
gc_freeze_after = int(os.environ.get("GUNICORN_GC_FREEZE_AFTER", "200"))


def pre_fork(server, worker):
    if gc_freeze_after:
        gc.freeze()


def post_request(worker, req, environ, resp):
    # `nr` is the worker's count of requests served, max_requests's own.
    if gc_freeze_after and worker.nr == gc_freeze_after:
        gc.freeze()
