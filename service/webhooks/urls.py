"""Which callback URLs are accepted: http(s) with a host; the operator may narrow it.

``WEBHOOK_REQUIRE_HTTPS`` refuses plain http; ``WEBHOOK_ALLOW_PRIVATE=false`` refuses a
host that resolves to a loopback, private, link-local or otherwise non-public address.
The dispatcher checks again before each delivery, since a name can resolve differently
later (a check cannot pin the address the HTTP client then connects to).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

MAX_URL_CHARS = 2000
Resolver = Callable[[str, int], list[str]]


class WebhookUrlError(ValueError):
    """A callback URL that is refused; the message says why."""


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise WebhookUrlError(f"{host} does not resolve: {exc.strerror or exc}") from exc
    return [info[4][0] for info in infos]


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url(
    url: str, *, require_https: bool, allow_private: bool, resolver: Resolver = resolve
) -> str:
    """``url`` if it may receive webhooks under these settings, else ``WebhookUrlError``."""
    url = url.strip()
    if not url or len(url) > MAX_URL_CHARS:
        raise WebhookUrlError(f"The URL must have 1 to {MAX_URL_CHARS} characters.")
    if any(ch.isspace() or ord(ch) < 32 or 0xD800 <= ord(ch) < 0xE000 for ch in url):
        raise WebhookUrlError("The URL must not contain spaces, control characters or surrogates.")
    parts = urlsplit(url)
    allowed = ("https",) if require_https else ("http", "https")
    if parts.scheme not in allowed:
        raise WebhookUrlError(f"The URL must start with {' or '.join(s + '://' for s in allowed)}.")
    if not parts.hostname:
        raise WebhookUrlError("The URL has no host.")
    if parts.username is not None or parts.password is not None:
        raise WebhookUrlError("The URL must not carry credentials: the signature authenticates.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise WebhookUrlError("The URL's port is not a number from 0 to 65535.") from exc
    if not allow_private:
        addresses = resolver(parts.hostname, port)
        private = sorted({a for a in addresses if not _is_public(a)})
        if not addresses:
            raise WebhookUrlError(f"{parts.hostname} resolves to no address.")
        if private:
            raise WebhookUrlError(
                f"{parts.hostname} resolves to a non-public address ({', '.join(private)}), "
                "refused by WEBHOOK_ALLOW_PRIVATE=false."
            )
    return url
