"""The safety API (issue 8)."""

urlpatterns = []


def register(router) -> None:
    pass
