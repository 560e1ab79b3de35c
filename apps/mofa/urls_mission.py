"""URLs of the mission pages, included into the mofa namespace (names start with "mission-")."""

urlpatterns = []
