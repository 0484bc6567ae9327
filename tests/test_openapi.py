"""Fuzz the JSON API against its own OpenAPI description: no 500, answers as described."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from webapp import create_app

from .opensearch_fixture import ENGINES

ON_ENGINES = ENGINES  # the contract's description holds on each engine

OPERATIONS = [("/api/search", "GET"), ("/api/documents/{doc_id}", "GET"),
              ("/api/passages/{passage_id}", "GET"), ("/api/cite/{passage_id}", "GET"),
              ("/api/verify", "POST"), ("/api/status", "GET"), ("/api/collections", "GET"),
              ("/api/collections", "POST"), ("/api/collections/{collection_id}", "GET"),
              ("/api/collections/{collection_id}/passages", "POST"),
              ("/api/collections/{collection_id}/passages/{passage_id}", "DELETE"),
              ("/api/collections/{collection_id}/passages/{passage_id}", "PATCH"),
              ("/api/collections/{collection_id}/export", "GET")]


@pytest.fixture(scope="module")
def api_schema(seed_settings):
    app = create_app(seed_settings())
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


def test_every_route_is_described(api_schema):
    described = {(op.ok().path, op.ok().method.upper()) for op in api_schema.get_all_operations()}
    assert described == set(OPERATIONS)


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_api_keeps_its_description(api_schema, path, method, data):
    case = data.draw(api_schema[path][method].as_strategy())
    # A query language is not a JSON schema: a schema-valid q such as " ," may still be a
    # query with nothing to search, answered 400 with a sentence. Everything else holds.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
