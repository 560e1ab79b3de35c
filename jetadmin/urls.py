from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.core import views as core_views

urlpatterns = [
    # First: most calls are the API's, and Django tries each pattern in turn.
    path("api/v1/", include(("jetadmin.api", "api"), namespace="api")),
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("language/", core_views.LanguageSetView.as_view(), name="language-set"),
    path("accounts/login/", core_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/signup/", core_views.SignUpView.as_view(), name="signup"),
    path("accounts/signup/sent/", core_views.SignUpSentView.as_view(), name="signup-sent"),
    path("accounts/confirm/", core_views.EmailConfirmView.as_view(), name="email-confirm"),
    path(
        "accounts/password/",
        core_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("", include("apps.core.urls")),
    path("inbox/", include("apps.notifications.urls")),
    path("clair/", include("apps.clair.urls")),
    path("mic/", include("apps.mic.urls")),
    path("mext/", include("apps.mext.urls")),
    path("mofa/", include("apps.mofa.urls")),
    path("contracting/", include("apps.contracting.urls")),
    path("participant/", include("apps.participants.urls")),
    path("programme/", include("apps.placement.urls")),
    path("programme/", include("apps.events.urls")),
    path("support/", include("apps.support.urls")),
    path("subsidy/", include("apps.support.urls_subsidy")),
    path("course/", include("apps.learning.urls_course")),
    path("library/", include("apps.learning.urls_library")),
    path("correspondence/", include("apps.outreach.urls_correspondence")),
    path("outreach/", include("apps.outreach.urls")),
    path("calendar/", include("apps.events.urls_calendar")),
    path("costs/", include("apps.finance.urls_costs")),
    path("statistics/", include("apps.finance.urls_statistics")),
    path("safety/", include("apps.safety.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file, so no inline script is needed;
    # the Swagger UI's own inline <style> and data: icons are allowed on this path only.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["data:"]})(
            SpectacularSwaggerSplitView.as_view(url_name="schema")
        ),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    # Lets `make run` show the error pages as they will look in production.
    from django.views.defaults import page_not_found, permission_denied, server_error

    urlpatterns += [
        path("_errors/403/", permission_denied, {"exception": Exception()}),
        path("_errors/404/", page_not_found, {"exception": Exception()}),
        path("_errors/500/", server_error),
    ]

# Under /api/ these answer JSON, elsewhere the site's pages.
handler400 = "apps.core.views.bad_request"
handler403 = "apps.core.views.permission_denied"
handler404 = "apps.core.views.page_not_found"
handler500 = "apps.core.views.server_error"
