# The service as README.md installs it (pip, the same pins; no dev or train extra),
# served by gunicorn as a non-root user. README.md "Docker" says how to run it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BIND=0.0.0.0:8000 \
    FORCE_HTTPS=true \
    RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin app
WORKDIR /app

COPY pyproject.toml README.md gunicorn.conf.py ./
COPY service ./service
COPY training ./training
COPY models ./models
RUN pip install --no-cache-dir -e . \
    && mkdir -p /app/instance \
    && chown 10001:10001 /app/instance

# the SQLite database and the generated secret key, when DATABASE_URL and SECRET_KEY are unset
VOLUME ["/app/instance"]
USER 10001
EXPOSE 8000
# the port BIND names; the model loads for a few seconds after the migrations
HEALTHCHECK --interval=30s --timeout=3s --start-period=60s \
    CMD ["python", "-c", "import os, urllib.request; port = os.environ['BIND'].rsplit(':', 1)[1]; urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=2)"]
CMD ["sh", "-c", "flask --app service db upgrade && exec gunicorn 'service:create_app()'"]
