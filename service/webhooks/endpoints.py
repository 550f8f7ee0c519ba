"""Set, show and remove an API client's webhook. Used by the CLI and the admin pages."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select

from service.extensions import db
from service.tables import ApiClient, WebhookEndpoint, WebhookEvent
from service.webhooks.signing import new_secret
from service.webhooks.urls import check_url


def checked_url(url: str) -> str:
    """``url`` under the app's ``WEBHOOK_REQUIRE_HTTPS`` / ``WEBHOOK_ALLOW_PRIVATE``."""
    return check_url(
        url,
        require_https=current_app.config["WEBHOOK_REQUIRE_HTTPS"],
        allow_private=current_app.config["WEBHOOK_ALLOW_PRIVATE"],
    )


def endpoint_of(client: ApiClient) -> WebhookEndpoint | None:
    return db.session.get(WebhookEndpoint, client.id)


def set_endpoint(client: ApiClient, url: str) -> tuple[WebhookEndpoint, str]:
    """Point ``client``'s webhook at ``url`` with a new signing secret, returned to show once.

    Raises ``WebhookUrlError`` for a refused URL, before anything is written.
    """
    url = checked_url(url)
    secret = new_secret()
    endpoint = endpoint_of(client)
    if endpoint is None:
        endpoint = WebhookEndpoint(client_id=client.id)
        db.session.add(endpoint)
    endpoint.url, endpoint.secret = url, secret
    db.session.commit()
    return endpoint, secret


def remove_endpoint(client: ApiClient) -> bool:
    """Stop sending to ``client``; False if it had no webhook.

    Its events not yet delivered are marked failed when next due (an admin can resend
    them once a webhook is set again).
    """
    endpoint = endpoint_of(client)
    if endpoint is None:
        return False
    db.session.delete(endpoint)
    db.session.commit()
    return True


def event_counts(client_id: int | None = None) -> dict[str, int]:
    """How many events are pending, delivered and failed (for one client, or all)."""
    query = select(WebhookEvent.status, func.count()).group_by(WebhookEvent.status)
    if client_id is not None:
        query = query.where(WebhookEvent.client_id == client_id)
    counts = dict.fromkeys(("pending", "delivered", "failed"), 0)
    counts.update(dict(db.session.execute(query).all()))
    return counts


def all_endpoints() -> list[WebhookEndpoint]:
    return list(
        db.session.scalars(select(WebhookEndpoint).join(ApiClient).order_by(ApiClient.name))
    )
