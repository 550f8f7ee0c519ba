"""``flask --app service webhooks set|show|unset|list|deliver``: tell websites of decisions."""

from __future__ import annotations

import signal
import threading

import click
from flask.cli import with_appcontext

from service.access.api_clients import find_client
from service.tables import ApiClient
from service.webhooks import dispatcher
from service.webhooks.endpoints import (
    all_endpoints,
    endpoint_of,
    event_counts,
    remove_endpoint,
    set_endpoint,
)
from service.webhooks.urls import WebhookUrlError


@click.group("webhooks", help="Tell websites of every decision made after their first answer.")
def cli() -> None:
    pass


def _client(name: str) -> ApiClient:
    client = find_client(name)
    if client is None:
        raise click.ClickException(f"no client named {name!r} (see: api-keys list)")
    return client


def _counts(client_id: int) -> str:
    counts = event_counts(client_id)
    return ", ".join(f"{n} {status}" for status, n in counts.items())


@cli.command("set")
@click.argument("name")
@click.argument("url")
@with_appcontext
def set_(name: str, url: str) -> None:
    """Send NAME's events to URL, signed with a new secret printed alone on the last line.

    Setting it again replaces the URL and the secret (the old secret stops working).
    """
    client = _client(name)
    try:
        endpoint, secret = set_endpoint(client, url)
    except WebhookUrlError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Webhook of {client.name!r} set to {endpoint.url}.")
    click.echo("Its signing secret, shown only once:")
    click.echo(secret)


@cli.command("show")
@click.argument("name")
@with_appcontext
def show(name: str) -> None:
    """NAME's webhook URL and its events (the secret is never shown again)."""
    client = _client(name)
    endpoint = endpoint_of(client)
    if endpoint is None:
        click.echo(f"{client.name}: no webhook set; events: {_counts(client.id)}")
        return
    click.echo(f"{client.name}: {endpoint.url}")
    click.echo(f"set {endpoint.created_at:%Y-%m-%d %H:%M} UTC; events: {_counts(client.id)}")


@cli.command("unset")
@click.argument("name")
@with_appcontext
def unset(name: str) -> None:
    """Stop sending NAME's events; those not yet sent are marked failed when next due."""
    client = _client(name)
    if not remove_endpoint(client):
        raise click.ClickException(f"{client.name!r} has no webhook set")
    click.echo(f"Webhook of {client.name!r} removed.")


@cli.command("list")
@with_appcontext
def list_() -> None:
    """Every client with a webhook: its URL and its events."""
    endpoints = all_endpoints()
    if not endpoints:
        click.echo("No webhooks set.")
    for endpoint in endpoints:
        name = endpoint.client.name
        click.echo(f"{name}\t{endpoint.url}\t{_counts(endpoint.client_id)}")


@cli.command("deliver")
@click.option("--once", is_flag=True, help="Send what is due now, then exit.")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.05),
    default=1.0,
    show_default=True,
    help="Seconds between looks for due events when there are none.",
)
@with_appcontext
def deliver(once: bool, interval: float) -> None:
    """Send due events, retrying failures with backoff for 24 hours; runs until stopped.

    Each attempt is logged (standard error). Several dispatchers may run at once.
    """
    if once:
        outcomes = dispatcher.deliver_due()
        tally = {status: 0 for status in ("delivered", "pending", "failed")}
        for outcome in outcomes:
            tally[outcome.status] += 1
        click.echo(
            f"{len(outcomes)} sent: {tally['delivered']} delivered, "
            f"{tally['pending']} to retry, {tally['failed']} failed for good."
        )
        return
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    click.echo(f"Delivering webhook events (every {interval:g} s when idle); Ctrl-C stops.")
    dispatcher.run(stop, interval)
    click.echo("Stopped.")
