"""gunicorn settings for `make serve`; every value can come from the environment.

Sync workers suit this app: pages are CPU-bound template rendering, and the
page cache answers most readers in well under a millisecond. Put nginx in
front (deploy/nginx.conf) to buffer slow clients.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# The usual rule for sync workers: two per core plus one.
# One worker per core, and one more to use the time a worker waits for
# PostgreSQL: pages cost CPU, and more workers than that only took turns on
# the same cores (2 cores: uncached article page 0.15 x /healthz with 3
# workers, 0.13-0.14 x with 5; /healthz itself the same).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow forever; rarely,
# since at a few thousand requests a second 20,000 meant every half minute.
max_requests = 200000
max_requests_jitter = 20000
preload_app = True
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

accesslog = os.environ.get("ACCESS_LOG", "-")
errorlog = os.environ.get("ERROR_LOG", "-")
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'


def when_ready(server):
    """In the master, after the app is loaded and before any worker forks."""
    from serving.warmup import warm

    warm()
