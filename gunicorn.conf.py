"""gunicorn settings for `service:create_app()`, each overridable from the environment."""

import multiprocessing
import os
import shutil
import tempfile

# /metrics in multiprocess mode: every worker writes its samples here (set before any
# worker imports prometheus_client), and a scrape of any worker reads them all.
METRICS_DIR = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="moderation-metrics-")
)

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
accesslog = os.environ.get("ACCESS_LOG", "-")  # request lines only: no bodies, no headers
errorlog = "-"
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
