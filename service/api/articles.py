"""``/api/v1/articles``: the website sends its articles, so comments can be read against them."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_smorest import abort

from service.api.auth import WEBSITE_ONLY, require_client
from service.api.limits import limit_body, max_json_bytes
from service.comments.articles import find_article, put_article
from service.errors import Blueprint
from service.inputs import valid_article_id
from service.schemas.articles import ArticlePutSchema, StoredArticleSchema
from service.schemas.comments import ErrorSchema

blp = Blueprint("articles", __name__, url_prefix="/api/v1/articles", description="Articles")

MAX_ARTICLE_BODY = max_json_bytes(ArticlePutSchema())  # a 200,000-character body, \u-escaped
# service.inputs.ArticleIdConverter routes any segment; valid_article_id checks it after the key
ARTICLE_ID = "<article_id:article_id>"


@blp.route(f"/{ARTICLE_ID}", methods=["PUT"])
@limit_body(MAX_ARTICLE_BODY)
@require_client
@valid_article_id
@blp.arguments(ArticlePutSchema)
@blp.response(200, StoredArticleSchema)
@blp.alt_response(201, schema=StoredArticleSchema, description="The article was new.")
@blp.alt_response(400, schema=ErrorSchema, description="A field or the article id is invalid.")
@blp.alt_response(401, schema=ErrorSchema, description="No or bad API key.")
@blp.doc(security=WEBSITE_ONLY)
def put(body: dict[str, Any], article_id: str):
    """Create or replace an article: its title (required), lead, body, language, url and
    publication time. Comments name it by ``article_id``."""
    article, created = put_article(g.client, article_id, body)
    return article, 201 if created else 200


@blp.route(f"/{ARTICLE_ID}", methods=["GET"])
@require_client
@valid_article_id
@blp.response(200, StoredArticleSchema)
@blp.alt_response(400, schema=ErrorSchema, description="The article id is invalid.")
@blp.alt_response(404, schema=ErrorSchema, description="No such article for this client.")
@blp.doc(security=WEBSITE_ONLY)
def get(article_id: str):
    """The article as stored."""
    article = find_article(g.client.id, article_id)
    if article is None:
        abort(404, message=f"No article {article_id}.")
    return article
