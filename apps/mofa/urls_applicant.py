"""URLs of the applicant pages, included into the mofa namespace (names start with "applicant-")."""

urlpatterns = []
