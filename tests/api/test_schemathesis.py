"""Every operation of the API's own schema (/api/schema/), fuzzed by Schemathesis as three
kinds of caller: a mission's officer (embassy.us), a participant and CLAIR's staff. Each
answer must be no server error and exactly what the schema says (status code, content
type, headers, body); input the schema calls invalid must be refused (4xx); a method the
schema does not list must answer 405; an operation that needs a signed-in caller must
refuse one without a token.

The requests go to the application in-process (WSGI), inside each test's transaction, so
what the run writes (events, threads, answers...) is rolled back with it and the demo's
rows are as they were for the next test. Examples are drawn deterministically
(`derandomize`), a bounded number per operation and caller, so the run takes the same
few minutes in CI every time; SCHEMATHESIS_EXAMPLES draws more, SCHEMATHESIS_RANDOM=1 new
ones each run, to look further by hand.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

ROLES = ["embassy.us", "participant", "clair"]
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "12"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    unsupported_method,
    ignored_auth,
]

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture(params=ROLES)
def token_header(request, api_as) -> dict:
    """The caller's token, from the token endpoint. Then, as Django's test client does
    around each of its requests, the test's connection (and its transaction) is kept
    across the WSGI requests, which would otherwise close it after each one."""
    client = api_as(request.param)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"Authorization": client._credentials["HTTP_AUTHORIZATION"]}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=not os.environ.get("SCHEMATHESIS_RANDOM"),
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
)
def test_api_answers_as_its_schema_says(case, token_header):
    checks = CHECKS
    if case.media_type == "multipart/form-data":
        # In a form every value is text: the number 0 and the text "0" are the same bytes,
        # so "a value of the wrong type was accepted" cannot be told from a right one.
        checks = [check for check in CHECKS if check is not negative_data_rejection]
    case.call_and_validate(headers=token_header, checks=checks)
