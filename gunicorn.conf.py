"""gunicorn settings for `service:create_app()`, each overridable from the environment."""

import os
import shutil
import tempfile

# /metrics in multiprocess mode: every worker writes its samples here (set before any
# worker imports prometheus_client), and a scrape of any worker reads them all.
METRICS_DIR = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="moderation-metrics-")
)

# What the workers' app reads, unless the environment says otherwise: HTTPS behind the
# TLS proxy (secure cookies, HSTS) and one rate-limit store that every worker shares.
os.environ.setdefault("FORCE_HTTPS", "true")
os.environ.setdefault("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379")

bind = os.environ.get("BIND", "127.0.0.1:8000")
# One process per core this process may run on (a container's CPU set, not the host's).
workers = int(os.environ.get("WEB_CONCURRENCY", len(os.sched_getaffinity(0))))
# Threads let a worker keep answering (and heartbeating) while one request waits on a
# hung database, instead of being killed by the timeout below.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# SIGTERM: stop accepting, let requests in flight finish for up to this long.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Request lines up to 8190 bytes reach the app, which answers 414 past 4 KiB of path and query.
limit_request_line = 8190
accesslog = os.environ.get("ACCESS_LOG", "-")  # request lines only: no bodies, no headers
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'
# gunicorn's own lines as JSON too, in the app's format (service/logs.py): one line per event.
_handlers = {"json": {"class": "logging.StreamHandler", "formatter": "json"}}  # stderr
if accesslog not in ("-", "/dev/null"):
    _handlers["access_file"] = {
        "class": "logging.FileHandler",
        "formatter": "json",
        "filename": accesslog,
    }
_access = {"-": ["json"], "/dev/null": []}.get(accesslog, ["access_file"])
logconfig_dict = {
    "root": {"level": "WARNING", "handlers": ["json"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["json"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": _access, "propagate": False},
    },
    "handlers": _handlers,
    "formatters": {"json": {"()": "service.logs.JsonFormatter"}},
}
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Load the model and the language detector before the first request, so no request
    waits for them."""
    from service.moderation.language import warm_up
    from service.serving.runtime import current

    warm_up()
    with worker.wsgi.app_context():
        current().refresh(force=True)


def on_starting(server):
    """Start from empty metric files: samples of an earlier run's dead workers are gone."""
    shutil.rmtree(METRICS_DIR, ignore_errors=True)
    os.makedirs(METRICS_DIR, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
