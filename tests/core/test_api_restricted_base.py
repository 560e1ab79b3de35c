"""Every API view stands on the one restricted base.

`RestrictedQuerysetMixin` (apps/core/api/permissions.py) makes a view's queryset a
selector of the access rule and checks each action on an object, so a row the caller may
not see is a 404 and one they may not act on a 403, as on the pages. A view that skipped
it would check access by hand, and a rule written twice drifts. Only the endpoints that
are public by design stand without it, each named here with the reason.
"""

from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView

from apps.core.api.permissions import RestrictedQuerysetMixin

PUBLIC = {
    # name: why it stands without the restricted base
    "api:token-obtain": "signing in: there is no user yet",
    "api:safety-answer-link": "the personal link's token is the credential, no sign-in",
    "api:api-root": "DRF's index of the routes: no data",
}


def _api_views():
    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                view = pattern.callback
                cls = getattr(view, "cls", None) or getattr(view, "view_class", None)
                if cls is not None and issubclass(cls, APIView) and namespace == "api:":
                    yield f"{namespace}{pattern.name}", cls

    return dict(walk(get_resolver().url_patterns))


def test_every_api_view_uses_the_restricted_base():
    views = _api_views()
    assert len(views) > 50  # the walk found the API
    outside = sorted(
        name
        for name, cls in views.items()
        if not issubclass(cls, RestrictedQuerysetMixin) and name not in PUBLIC
    )
    assert outside == []


def test_the_public_list_names_only_real_endpoints():
    assert set(PUBLIC) <= set(_api_views())
