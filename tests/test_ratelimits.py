"""Rate limits: API_RATE_LIMIT per caller on every /api/v1 route, 429 in the one error shape,
and the per-caller concurrency slots of /moderate (service/ratelimits.py, service/slots.py)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time

import pytest

from service import ratelimits
from service.slots import Slots

from conftest import new_api_key

BATCH = {"comments": [{"text": "Nice article"}]}


def test_api_limit_is_per_key_across_routes_and_answers_429_json(configured_app, models_dir):
    app = configured_app(models_dir, API_RATE_LIMIT="3/minute")
    client = app.test_client()
    first, second = new_api_key(app, "first"), new_api_key(app, "second")
    assert client.post("/api/v1/moderate", json=BATCH, headers=first).status_code == 200
    assert client.get("/api/v1/comments/1", headers=first).status_code == 404
    assert client.post("/api/v1/moderate", json=BATCH, headers=first).status_code == 200
    response = client.get("/api/v1/comments/1", headers=first)
    assert response.status_code == 429
    assert response.json["error"]["code"] == "too_many_requests"
    assert set(response.json["error"]) == {"code", "message", "fields"}
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    # Another key has its own budget; health probes are not counted.
    assert client.post("/api/v1/moderate", json=BATCH, headers=second).status_code == 200
    assert client.get("/healthz").status_code == 200


def test_default_limits_come_from_the_environment(monkeypatch, configured_app, models_dir):
    app = configured_app(models_dir)
    assert app.config["API_RATE_LIMIT"] == "3000/minute"
    assert app.config["LOGIN_RATE_LIMIT"] == "20/minute"
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    monkeypatch.setenv("API_RATE_LIMIT", "10/second")
    assert configured_app(models_dir).config["API_RATE_LIMIT"] == "10/second"


def test_a_second_batch_of_the_same_key_waits_its_turn(configured_app, models_dir, monkeypatch):
    app = configured_app(models_dir)
    client = app.test_client()
    key, other = new_api_key(app, "busy"), new_api_key(app, "other")
    started, release = threading.Event(), threading.Event()
    from service.api import moderate

    real_judge = moderate.judge

    def slow_judge(texts, site_languages=None):
        started.set()
        release.wait(10)
        return real_judge(texts, site_languages)

    monkeypatch.setattr(moderate, "judge", slow_judge)
    answers = []
    worker = threading.Thread(
        target=lambda: answers.append(
            app.test_client().post("/api/v1/moderate", json=BATCH, headers=key)
        )
    )
    worker.start()
    assert started.wait(10)
    busy = client.post("/api/v1/moderate", json=BATCH, headers=key)
    started.clear()
    monkeypatch.setattr(moderate, "judge", real_judge)
    assert client.post("/api/v1/moderate", json=BATCH, headers=other).status_code == 200
    release.set()
    worker.join(10)
    assert busy.status_code == 429 and busy.headers["Retry-After"] == "1"
    assert "at once" in busy.json["error"]["message"]
    assert answers[0].status_code == 200
    assert client.post("/api/v1/moderate", json=BATCH, headers=key).status_code == 200


@pytest.fixture
def redis_uri():
    import redis

    uri = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(uri, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return uri


def test_redis_slots_are_shared_and_released(redis_uri):
    # Two Slots objects on one Redis stand for two gunicorn workers.
    one, two = Slots("test", 1, redis_uri), Slots("test", 1, redis_uri)
    with one.hold("k1") as held:
        assert held
        with two.hold("k1") as also:
            assert not also
        with two.hold("k2") as other_key:
            assert other_key
    with two.hold("k1") as again:
        assert again


def test_redis_down_does_not_take_the_api_down(configured_app, models_dir):
    app = configured_app(models_dir, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1")
    client = app.test_client()
    key = new_api_key(app)
    assert client.post("/api/v1/moderate", json=BATCH, headers=key).status_code == 200


@pytest.fixture
def silent_redis():
    """A port that accepts connections and never answers, as a hung (SIGSTOPped) Redis."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(OSError):
                accepted.append(server.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join(2)
    for conn in accepted:
        conn.close()
    server.close()


def test_a_hung_redis_costs_seconds_and_readyz_says_so(configured_app, models_dir, silent_redis):
    app = configured_app(models_dir, RATELIMIT_STORAGE_URI=silent_redis)
    client = app.test_client()
    key = new_api_key(app)
    answers = []
    request = threading.Thread(
        target=lambda: answers.append(client.post("/api/v1/moderate", json=BATCH, headers=key)),
        daemon=True,  # without bounded timeouts it would wait for ever: fail, do not hang
    )
    request.start()
    request.join(3 * ratelimits.REDIS_TIMEOUT_SECONDS + 2)
    assert answers and answers[0].status_code == 200
    ready = client.get("/readyz").json
    assert ready["rate_limits"] == "per-process: shared store unreachable"
    assert ready["reasons"] == ["no model loaded"]  # the limits still hold, per worker


def test_readyz_says_where_the_limits_count(configured_app, models_dir, redis_uri):
    assert configured_app(models_dir).test_client().get("/readyz").json["rate_limits"] == (
        "per-process"
    )
    shared = configured_app(models_dir, RATELIMIT_STORAGE_URI=redis_uri)
    assert shared.test_client().get("/readyz").json["rate_limits"] == "shared"


def test_slots_read_the_limiters_unix_socket_uri(tmp_path):
    # Flask-Limiter spells a Redis socket redis+unix://, which redis-py does not read
    slots = Slots("test", 1, f"redis+unix://{tmp_path}/redis.sock")
    assert slots._redis.connection_pool.connection_kwargs["path"] == f"{tmp_path}/redis.sock"
    with slots.hold("k") as held:
        assert held  # no Redis there: allowed, not limited, and no exception


def test_slots_leave_a_hung_redis_alone_after_it_fails(silent_redis):
    slots = Slots("test", 1, silent_redis)
    with slots.hold("k") as held:
        assert held  # not limiting while Redis does not answer
    started = time.monotonic()
    with slots.hold("k") as held:
        assert held
    assert time.monotonic() - started < 0.5  # not another socket timeout
