"""The statistics API (issue 8)."""

urlpatterns = []


def register(router) -> None:
    pass
