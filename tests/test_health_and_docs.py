"""Health, readiness, the OpenAPI document and the error shape of unknown routes."""

from __future__ import annotations


def test_healthz_needs_no_key(client):
    assert client.get("/healthz").json == {"status": "ok"}


def test_readyz_without_model_is_503(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["database"] == "ok"
    assert response.json["model"] == {"loaded": False}


def test_readyz_with_model(scored_app):
    response = scored_app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.json["model"] == {"loaded": True, "version": "kw-1"}


def test_openapi_document_describes_the_api(client):
    spec = client.get("/api/v1/openapi.json").json
    assert {"/api/v1/comments", "/api/v1/comments/{comment_id}", "/api/v1/moderate"} <= set(
        spec["paths"]
    )
    create = spec["paths"]["/api/v1/comments"]["post"]
    assert "400" in create["responses"] and "201" in create["responses"]
    schemes = spec["components"]["securitySchemes"]
    assert {schemes[name]["scheme"] for name in ("websiteKey", "accessToken")} == {"bearer"}
    # which credential each route takes, and the 403 for a valid one of the other kind
    paths = spec["paths"]
    for path, method in [("/api/v1/comments", "post"), ("/api/v1/articles/{article_id}", "get")]:
        assert paths[path][method]["security"] == [{"websiteKey": []}]
        assert {"401", "403"} <= set(paths[path][method]["responses"])
    assert paths["/api/v1/queue"]["get"]["security"] == [{"accessToken": []}]
    assert "403" in paths["/api/v1/queue"]["get"]["responses"]
    moderate = paths["/api/v1/moderate"]["post"]
    assert moderate["security"] == [{"websiteKey": []}, {"accessToken": []}]
    assert "403" not in moderate["responses"]
    body = spec["components"]["schemas"]["CommentCreate"]
    assert {"external_id", "article_id", "author", "text"} <= set(body["required"])


def test_openapi_declares_401_404_and_413_where_routes_can_answer_them(client):
    spec = client.get("/api/v1/openapi.json").json
    operations = {
        (method.upper(), path): op
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        if isinstance(op, dict) and "responses" in op
    }
    for (method, path), op in operations.items():
        declared = set(op["responses"])
        assert ("401" in declared) == bool(op.get("security")), (method, path)
        assert ("404" in declared) == ("{" in path), (method, path)
        assert ("413" in declared) == ("requestBody" in op), (method, path)
    for route in [
        ("POST", "/api/v1/queue/{comment_id}/claim"),
        ("POST", "/api/v1/queue/{comment_id}/decision"),
        ("GET", "/api/v1/comments/{comment_id}"),
        ("GET", "/api/v1/articles/{article_id}"),
    ]:
        assert {"401", "404"} <= set(operations[route]["responses"]), route
    too_large = spec["components"]["responses"]["PAYLOAD_TOO_LARGE"]
    assert too_large["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }


def test_docs_page_is_self_hosted(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert b"swagger-ui-bundle.js" in page.data and b"<script>" not in page.data
    assert client.get("/api/v1/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/api/v1/docs/assets/init.js").status_code == 200


def test_security_headers(client):
    response = client.get("/healthz")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_unknown_api_route_is_json_404(client):
    response = client.get("/api/v1/nowhere")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_wrong_method_is_json_405(client):
    response = client.delete("/api/v1/moderate")
    assert response.status_code == 405
    assert response.json["error"]["code"] == "method_not_allowed"


def test_home_leads_to_the_queue(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/queue")
