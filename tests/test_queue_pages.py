"""The queue pages: rendering untrusted text, CSRF on forms, review, comment page, tokens."""

from __future__ import annotations

import pytest
from queue_helpers import csrf_from, form_fields, logged_in, moderator_decisions
from sqlalchemy import select

from service.extensions import db
from service.tables import Decision

XSS = "<script>alert(1)</script><img src=x onerror=alert(2)> idiot"


@pytest.fixture
def mo(qapp):
    return logged_in(qapp)


def test_queue_page_escapes_text_and_highlights_without_changing_it(qapp, site, mo):
    held = site.submit(XSS)
    response = mo.get("/queue")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>alert" not in html and "<img src=x" not in html
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; "
        '<mark class="ev ev-personal_attack" title="personal_attack">idiot</mark></p>'
    ) in html
    assert f'data-id="{held["id"]}" data-suggested="personal_attack"' in html
    assert '<meta name="csrf-token"' in html
    csp = response.headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "<script>" not in html.replace(
        '<script src="/queue/static/queue.js" defer></script>', ""
    )


def test_queue_page_filters_and_counts(qapp, site, mo):
    site.submit("idiot here", article="a-1")
    site.submit("buynow there", article="a-2")
    html = mo.get("/queue?category=promotion").get_data(as_text=True)
    assert "buynow</mark> there" in html and "idiot</mark> here" not in html
    assert "personal attack (1)" in html and "promotion (1)" in html
    html = mo.get("/queue?min_age_hours=abc").get_data(as_text=True)
    assert "invalid and are ignored" in html and "idiot</mark> here" in html


def test_queue_page_takes_a_filter_given_twice_like_the_api(qapp, site, mo):
    site.submit("idiot here", article="a-1")
    site.submit("buynow there", article="a-2")
    site.submit("idiot elsewhere", article="a-3")
    html = mo.get("/queue?article=a-1&article=a-2").get_data(as_text=True)
    assert "idiot</mark> here" in html and "buynow</mark> there" in html
    assert "idiot</mark> elsewhere" not in html and "invalid" not in html
    # the counts' links narrow the category and keep both articles
    assert "/queue?article=a-1&amp;article=a-2&amp;order=oldest&amp;category=promotion" in html
    html = mo.get("/queue?category=promotion&category=&article=a-2").get_data(as_text=True)
    assert "buynow</mark> there" in html and "idiot</mark> here" not in html
    assert "invalid" not in html


def test_form_post_without_csrf_token_is_refused(qapp, site, mo):
    approved = site.submit("a clean remark")
    response = mo.post(
        f"/queue/comments/{approved['id']}/overturn", data={"action": "reject", "reason": "abuse"}
    )
    assert response.status_code == 400
    assert sum(moderator_decisions(qapp).values()) == 0
    assert site.read(approved["id"])["status"] == "approved"


def test_review_page_overturn_is_seen_by_the_website(qapp, site, mo):
    approved = site.submit("a clean remark")
    html = mo.get("/queue/review").get_data(as_text=True)
    assert "a clean remark" in html and "Overturn: reject" in html
    response = mo.post(
        f"/queue/comments/{approved['id']}/overturn",
        data={
            "action": "reject",
            "reason": "promotion",
            "note": "known spammer",
            "next": "/queue/review",
            "csrf_token": csrf_from(html),
        },
    )
    assert response.status_code == 302 and response.location.endswith("/queue/review")
    seen = site.read(approved["id"])
    assert seen["status"] == "rejected" and seen["reason"]["code"] == "promotion"
    assert seen["history"][-1]["note"] == "known spammer"
    assert seen["text"] == "a clean remark"
    html = mo.get("/queue/review").get_data(as_text=True)
    assert "now rejected" in html


@pytest.mark.parametrize("page", ["/queue/review", "/queue/comments/{id}"])
def test_overturn_forms_work_as_the_browser_sends_them(qapp, site, mo, page):
    rejected = site.submit("darn it")
    approved = site.submit("a clean remark")
    for comment, outcome in ((rejected, "approved"), (approved, "rejected")):
        action = f"/queue/comments/{comment['id']}/overturn"
        fields = form_fields(mo.get(page.format(id=comment["id"])).get_data(as_text=True), action)
        fields["note"] = "checked by hand"
        response = mo.post(action, data=fields)
        assert response.status_code == 302
        seen = site.read(comment["id"])
        assert seen["status"] == outcome
        assert seen["history"][-1]["note"] == "checked by hand"
    assert site.read(rejected["id"])["reason"] is None
    assert site.read(approved["id"])["reason"]["code"] == "profanity"  # the menu's first


def test_overturn_form_refuses_a_rejection_without_a_reason(qapp, site, mo):
    approved = site.submit("a clean remark")
    page = mo.get(f"/queue/comments/{approved['id']}").get_data(as_text=True)
    action = f"/queue/comments/{approved['id']}/overturn"
    for reason in ("", "nonsense"):
        fields = form_fields(page, action) | {"reason": reason}
        shown = mo.post(action, data=fields, follow_redirects=True).get_data(as_text=True)
        assert "reason" in shown.split('<ul class="flashes">')[1].split("</ul>")[0]
    assert site.read(approved["id"])["status"] == "approved"
    assert sum(moderator_decisions(qapp).values()) == 0


def test_overturn_form_refuses_an_approval_with_a_reason(qapp, site, mo):
    rejected = site.submit("darn it")
    page = mo.get(f"/queue/comments/{rejected['id']}").get_data(as_text=True)
    action = f"/queue/comments/{rejected['id']}/overturn"
    fields = form_fields(page, action) | {"reason": "threat"}
    shown = mo.post(action, data=fields, follow_redirects=True).get_data(as_text=True)
    assert "Only a rejection has a reason" in shown
    assert site.read(rejected["id"])["status"] == "rejected"
    assert sum(moderator_decisions(qapp).values()) == 0


def test_comment_page_history_author_recent_and_undo(qapp, site, mo):
    older = site.submit("darn it", author="u-5")
    approved = site.submit("nice piece", author="u-5")
    page = mo.get(f"/queue/comments/{approved['id']}").get_data(as_text=True)
    assert "model <code>kw-hold</code>" in page
    assert f'href="/queue/comments/{older["id"]}"' in page
    assert "status-rejected" in page
    token = csrf_from(page)
    mo.post(
        f"/queue/comments/{approved['id']}/overturn",
        data={"action": "reject", "reason": "abuse", "csrf_token": token},
    )
    page = mo.get(f"/queue/comments/{approved['id']}").get_data(as_text=True)
    assert "<strong>mo</strong>" in page and ">Undo</button>" in page
    with qapp.app_context():
        last = db.session.scalars(select(Decision).order_by(Decision.id.desc())).first().id
    mo.post(f"/queue/decisions/{last}/undo", data={"csrf_token": token, "next": "/queue"})
    seen = site.read(approved["id"])
    assert seen["status"] == "approved" and seen["history"][-1]["undoes"] == last
    assert mo.get("/queue/comments/999999").status_code == 404


def test_account_tokens_work_and_can_be_revoked(qapp, mo):
    page = mo.get("/account").get_data(as_text=True)
    response = mo.post("/account/tokens", data={"name": "script", "csrf_token": csrf_from(page)})
    assert response.status_code == 201
    html = response.get_data(as_text=True)
    secret = html.split('id="new-token" class="secret">')[1].split("<")[0]
    assert secret.startswith("cmt_")
    bearer = {"Authorization": f"Bearer {secret}"}
    api = qapp.test_client()
    assert api.get("/api/v1/queue", headers=bearer).status_code == 200
    assert secret not in mo.get("/account").get_data(as_text=True)
    with qapp.app_context():
        from service.tables import AccessToken

        token_id = db.session.scalars(select(AccessToken.id)).one()
    mo.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf_from(html)})
    assert api.get("/api/v1/queue", headers=bearer).status_code == 401


def test_https_redirect_when_configured(configured_app, models_dir):
    app = configured_app(models_dir, FORCE_HTTPS=True)
    response = app.test_client().get("/login")
    assert response.status_code == 301 and response.location.startswith("https://")


def test_highlight_segments_never_change_the_text():
    from service.queue.presenters import segments

    text = "👍🏽 darn 😀 idiot\r\n end"
    spans = [
        {"start": 3, "end": 7, "category": "profanity"},
        {"start": 5, "end": 9, "category": "abuse"},  # overlaps: merged into the first
        {"start": 10, "end": 15, "category": "personal_attack"},
        {"start": 40, "end": 50, "category": "threat"},  # outside the text: dropped
    ]
    pieces = segments(text, spans)
    assert "".join(piece for piece, _ in pieces) == text
    marked = [(piece, category) for piece, category in pieces if category]
    assert marked == [("darn", "profanity"), (" 😀", "abuse"), ("idiot", "personal_attack")]
    assert segments("", []) == [("", None)]
