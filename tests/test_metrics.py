"""``/metrics``: Prometheus text with latency, decisions, queue depth and the served model."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families
from queue_helpers import add_user, token_for

from conftest import new_api_key


def samples(client, headers=None) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", headers=headers or {})
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.get_data(as_text=True))
        for s in family.samples
    }


def decisions(
    found, status: str, reason: str, language: str = "en", decided_by: str = "model"
) -> float:
    key = (
        "moderation_decisions_total",
        (
            ("decided_by", decided_by),
            ("language", language),
            ("reason", reason),
            ("status", status),
        ),
    )
    return found.get(key, 0.0)


def test_decisions_latency_queue_depth_and_model(scored_app):
    client, headers = scored_app.test_client(), new_api_key(scored_app)
    before = samples(client)
    comment = {"external_id": "c-1", "article_id": "a", "author": {"id": "u"}, "text": "you idiot"}
    assert client.post("/api/v1/comments", json=comment, headers=headers).status_code == 201
    after = samples(client)
    assert (  # two words: too few to tell, routed "und" (judged by the English model)
        decisions(after, "rejected", "personal_attack", "und")
        == decisions(before, "rejected", "personal_attack", "und") + 1
    )
    assert any(
        name == "moderation_request_seconds_count"
        and ("endpoint", "comments.create_comment") in labels
        for name, labels in after
    )
    assert after[("moderation_model_info", (("version", "kw-1"),))] == 1.0
    assert after[("moderation_webhook_events", (("status", "failed"),))] == 0.0
    assert ("moderation_queue_depth", (("language", "en"),)) not in after  # rejected, not held
    sorani = comment | {"external_id": "c-2", "text": "ئەم حکومەتە هیچ کارێکی باشی نەکردووە."}
    assert client.post("/api/v1/comments", json=sorani, headers=headers).status_code == 201
    assert samples(client)[("moderation_queue_depth", (("language", "ckb"),))] == 1.0


def test_a_refused_commit_counts_no_decision(scored_app):
    client, headers = scored_app.test_client(), new_api_key(scored_app)
    before = samples(client)
    bad = {"external_id": "c-1", "article_id": "a", "author": {"id": "u"}, "text": ""}
    assert client.post("/api/v1/comments", json=bad, headers=headers).status_code == 400
    after = samples(client)
    counted = {k: v for k, v in after.items() if k[0] == "moderation_decisions_total"}
    assert counted == {k: v for k, v in before.items() if k[0] == "moderation_decisions_total"}


def test_the_token_guards_metrics_when_set(configured_app, keyword_models_dir):
    app = configured_app(keyword_models_dir, METRICS_TOKEN="s3cret-metrics")
    client = app.test_client()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer nope"}).status_code == 401
    samples(client, {"Authorization": "Bearer s3cret-metrics"})


def test_decisions_are_counted_by_the_comments_language(qapp, site):
    client = qapp.test_client()
    before = samples(client)
    sorani = site.submit("ئەم حکومەتە هیچ کارێکی باشی نەکردووە.")
    english = site.submit("Thanks for the report from Kirkuk.")
    after = samples(client)
    assert decisions(after, "pending", "unsupported_language", "ckb") == (
        decisions(before, "pending", "unsupported_language", "ckb") + 1
    )
    assert decisions(after, "approved", "none", "en") == (
        decisions(before, "approved", "none", "en") + 1
    )
    assert english["status"] == "approved"
    # a moderator's decision, recorded without its comment loaded, counts under its language
    mo = token_for(qapp, add_user(qapp, "mo"))
    url = f"/api/v1/queue/{sorani['id']}/decision"
    assert client.post(url, json={"action": "approve"}, headers=mo).status_code == 200
    final = samples(client)
    assert decisions(final, "approved", "none", "ckb", "moderator") == (
        decisions(after, "approved", "none", "ckb", "moderator") + 1
    )
