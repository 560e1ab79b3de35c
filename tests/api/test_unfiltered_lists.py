"""A list called with no filter of its own skips building its FilterSet's form once it
has learnt that such a call cleans to nothing (apps/core/api/filters.py, issue 17). The
filters still apply and still refuse bad values with a 400, before and after."""

import pytest

from apps.core.api import filters as api_filters
from apps.recruitment.api import ApplicationFilters


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content[:300]
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.parametrize("first", ["unfiltered", "filtered"])
def test_filters_apply_and_refuse_whatever_came_before(first, token_client):
    api_filters._NOTHING_GIVEN.discard(ApplicationFilters)
    client = token_client("mofa")
    url = "/api/v1/applications/?page_size=200"
    if first == "filtered":
        assert client.get(f"{url}&status=bogus").status_code == 400
    everything = _ids(client.get(url))
    assert ApplicationFilters in api_filters._NOTHING_GIVEN
    again = _ids(client.get(url))
    assert again == everything
    submitted = client.get(f"{url}&status=SUBMITTED").json()["results"]
    assert submitted
    assert len(submitted) < len(everything)
    assert {row["status"] for row in submitted} == {"SUBMITTED"}
    refused = client.get(f"{url}&status=bogus")
    assert refused.status_code == 400
    assert "status" in refused.json()
    assert client.get(f"{url}&o=password").status_code == 400
    # A pager's own parameter is not a filter: the learnt answer serves it too.
    assert _ids(client.get("/api/v1/applications/?page_size=2")) == everything[:2]
