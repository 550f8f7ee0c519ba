"""Admin pages: API keys, accounts, policy (through apply_changes), models; admins only."""

from __future__ import annotations

import pytest
from queue_helpers import PASSWORD, add_user, csrf_from, logged_in, login
from sqlalchemy import select

from service.extensions import db
from service.tables import PolicySetting, User

PAGES = ("/admin/users", "/admin/api-keys", "/admin/policy", "/admin/models")


@pytest.fixture
def root(qapp):
    return logged_in(qapp, "root", "admin")


def token(client, path: str = "/admin/users") -> str:
    return csrf_from(client.get(path).get_data(as_text=True))


def test_moderators_get_403_and_strangers_the_login(qapp):
    add_user(qapp, "mo")
    stranger = qapp.test_client()
    for path in PAGES:
        response = stranger.get(path)
        assert response.status_code == 302 and "/login" in response.location
    mo = qapp.test_client()
    login(mo, "mo")
    for path in PAGES:
        assert mo.get(path).status_code == 403
    csrf = csrf_from(mo.get("/queue").get_data(as_text=True))
    response = mo.post(
        "/admin/users", data={"username": "x", "password": PASSWORD, "csrf_token": csrf}
    )
    assert response.status_code == 403
    assert "Admin</a>" not in mo.get("/queue").get_data(as_text=True)


def test_api_keys_create_shown_once_and_revoke(qapp, root):
    response = root.post("/admin/api-keys", data={"name": "news", "csrf_token": token(root)})
    assert response.status_code == 201
    key = response.get_data(as_text=True).split('id="new-key" class="secret">')[1].split("<")[0]
    assert key.startswith("cmk_")
    headers = {"Authorization": f"Bearer {key}"}
    site = qapp.test_client()
    assert site.get("/api/v1/comments/1", headers=headers).status_code == 404  # authenticated
    assert key not in root.get("/admin/api-keys").get_data(as_text=True)
    duplicate = root.post("/admin/api-keys", data={"name": "news", "csrf_token": token(root)})
    assert duplicate.status_code == 400
    root.post("/admin/api-keys/1/revoke", data={"csrf_token": token(root)})
    assert site.get("/api/v1/comments/1", headers=headers).status_code == 401


def test_accounts_create_and_disable(qapp, root):
    data = {"username": "newmod", "password": PASSWORD, "role": "moderator"}
    response = root.post("/admin/users", data=data | {"csrf_token": token(root)})
    assert response.status_code == 302
    assert login(qapp.test_client(), "newmod").status_code == 302
    weak = root.post(
        "/admin/users",
        data=data | {"username": "weak", "password": "short", "csrf_token": token(root)},
    )
    assert weak.status_code == 400 and "at least 10" in weak.get_data(as_text=True)
    with qapp.app_context():
        ids = {u.username: u.id for u in db.session.scalars(select(User))}
    root.post(f"/admin/users/{ids['newmod']}/disable", data={"csrf_token": token(root)})
    assert login(qapp.test_client(), "newmod").status_code == 403
    root.post(f"/admin/users/{ids['root']}/disable", data={"csrf_token": token(root)})
    with qapp.app_context():
        assert db.session.get(User, ids["root"]).active


def policy_form(client, **changes) -> dict:
    """What the page posts: its ticked boxes (mild expletives approved) and ``changes``."""
    form = {"csrf_token": token(client, "/admin/policy"), "allow_mild_profanity": "on"}
    form.update(changes)
    return form


def test_policy_view_and_validated_edit(qapp, root):
    html = root.get("/admin/policy").get_data(as_text=True)
    assert "model kw-hold" in html
    assert 'name="profanity.reject"' in html and 'value="0.6"' in html
    assert '<input type="checkbox" name="allow_mild_profanity" checked>' in html
    response = root.post(
        "/admin/policy", data=policy_form(root, **{"threat.reject": "0.8", "hold_links": "on"})
    )
    assert response.status_code == 302
    with qapp.app_context():
        stored = {
            r.name: (r.value, r.updated_by) for r in db.session.scalars(select(PolicySetting))
        }
        assert stored == {"threat.reject": (0.8, "admin:root"), "hold_links": (True, "admin:root")}
        assert qapp.extensions["moderation"].policy.thresholds["threat"].reject == 0.8
    for bad in ({"abuse.reject": "1.5"}, {"abuse.review": "0.95"}, {"abuse.reject": "lots"}):
        response = root.post("/admin/policy", data=policy_form(root, **bad))
        assert response.status_code == 400
        assert "Nothing was saved" in response.get_data(as_text=True)
    with qapp.app_context():
        assert db.session.get(PolicySetting, "abuse.reject") is None
        assert db.session.get(PolicySetting, "abuse.review") is None
    root.post("/admin/policy", data=policy_form(root, reset="threat.reject", hold_links="on"))
    with qapp.app_context():
        assert db.session.get(PolicySetting, "threat.reject") is None


def test_models_page_lists_versions_and_the_active_one(qapp, root):
    html = root.get("/admin/models").get_data(as_text=True)
    assert '<strong id="serving">kw-hold</strong>' in html
    assert "<code>kw-hold</code>" in html and "active</span>" in html


def test_the_off_topic_threshold_is_edited_like_the_others(qapp, root):
    html = root.get("/admin/policy").get_data(as_text=True)
    assert 'name="off_topic.review"' in html
    assert (
        root.post(
            "/admin/policy", data=policy_form(root, **{"off_topic.review": "0.9"})
        ).status_code
        == 302
    )
    with qapp.app_context():
        assert qapp.extensions["moderation"].policy.off_topic_review == 0.9
    bad = root.post("/admin/policy", data=policy_form(root, **{"off_topic.review": "2"}))
    assert bad.status_code == 400
