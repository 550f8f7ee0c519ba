"""Marshmallow request and response schemas, by area: validation and OpenAPI from one source."""
