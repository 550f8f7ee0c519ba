"""Security headers on every response, HTTPS when the deployment says so, safe redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, redirect, request, url_for
from werkzeug.middleware.proxy_fix import ProxyFix

PROBES = ("/healthz", "/readyz")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


def init_app(app: Flask) -> None:
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies > 0:
        # The client address and scheme as the last TRUSTED_PROXIES proxies saw them;
        # with 0 (the default) the forwarded headers are ignored and cannot be spoofed.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    @app.before_request
    def _https_only():
        # Health probes come over plain HTTP from inside the host or container; they carry nothing.
        if request.path in PROBES:
            return None
        if app.config["FORCE_HTTPS"] and not request.is_secure:
            return redirect(request.url.replace("http://", "https://", 1), code=301)
        return None

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        if app.config["FORCE_HTTPS"]:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response


def safe_next(target: str | None) -> str:
    """Only a path on this site, never an open redirect: anything else goes to the queue.

    Browsers drop tabs and newlines from URLs and read a backslash as a slash, so
    ``/<TAB>/evil.example`` would become ``//evil.example``: any control character,
    whitespace or backslash refuses the target.
    """
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and target.isprintable()
        and not any(ch.isspace() or ch == "\\" for ch in target)
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("queue.index")
