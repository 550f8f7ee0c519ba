"""Bearer secrets for API clients and moderators' personal access tokens.

A secret is shown once, then only its sha256 is kept. It carries a short
public prefix so that the row is found by index, and the hash is compared in
constant time. Secrets are high-entropy random strings, so a plain sha256
(not a slow password KDF) is the right tool here.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

CLIENT_KIND = "cmk"
TOKEN_KIND = "cmt"


@dataclass(frozen=True)
class NewSecret:
    secret: str
    prefix: str
    digest: str


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def generate(kind: str) -> NewSecret:
    prefix = secrets.token_hex(6)
    secret = f"{kind}_{prefix}_{secrets.token_urlsafe(32)}"
    return NewSecret(secret=secret, prefix=prefix, digest=digest(secret))


def split(secret: str) -> tuple[str, str] | None:
    """``(kind, prefix)`` of a well-formed secret, else None."""
    parts = secret.split("_", 2)
    if len(parts) != 3 or parts[0] not in (CLIENT_KIND, TOKEN_KIND) or len(parts[1]) != 12:
        return None
    return parts[0], parts[1]


def matches(secret: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(secret), stored_digest)
