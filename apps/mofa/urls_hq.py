"""URLs of the hq pages, included into the mofa namespace (names start with "hq-")."""

urlpatterns = []
