import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View, defaults
from django.views.generic import DetailView, FormView, ListView, TemplateView
from kombu import Connection

from apps.core import access, selectors, services
from apps.core.api.throttling import ScopedRateThrottle
from apps.core.errors import DomainError
from apps.core.forms import AccountSettingsForm, EmailConfirmForm, SignUpForm, form_error
from apps.core.models import Kind, Language
from apps.core.navigation import workspace_url_name


class KindRequiredMixin(LoginRequiredMixin):
    """An actor's own page (their workspace): for users acting as one of `kinds`; anyone
    else signed in gets 403."""

    kinds: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not access.acts_as(request.user, *self.kinds):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AccessRequiredMixin(LoginRequiredMixin):
    """A page for whoever the access rule lets do `permission` = (action, model) at all;
    anyone else signed in gets 403. Which rows they then see is the selector's."""

    permission: tuple[str, type] = ("view", None)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        access.require_allowed(request.user, *self.permission)
        return super().dispatch(request, *args, **kwargs)


class WorkspaceView(KindRequiredMixin, TemplateView):
    """Base for each actor's home page."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["programme_year"] = selectors.programme_year_current()
        context["organisation"] = self.request.user.organisation
        return context


def home(request):
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    workspace = workspace_url_name(request.user)
    if workspace is None:
        if request.user.is_superuser:
            return redirect("admin:index")
        raise PermissionDenied
    return redirect(workspace)


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def form_invalid(self, form):
        # An account still waiting for its email address to be confirmed cannot sign in;
        # the right password for it gets a new link and says so, instead of "wrong".
        pending = services.email_confirm_pending(
            username=form.data.get("username", ""), password=form.data.get("password", "")
        )
        if pending is not None and not getattr(self.request, "axes_locked_out", False):
            services.email_confirm_send(user=pending)
            form.errors.clear()
            form.add_error(
                None,
                _(
                    "Confirm your email address first: we have sent a link to %(email)s. "
                    "It works for %(hours)d hours."
                )
                % {"email": pending.email, "hours": settings.EMAIL_CONFIRM_HOURS},
            )
        return super().form_invalid(form)

    def form_valid(self, form):
        # A language picked on the sign-in page is what the person wants from now on.
        chosen = self.request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in Language.values:
            services.user_language_set(user=form.get_user(), language=chosen)
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed_notify(user=self.request.user)
        messages.success(self.request, _("Your password was changed."))
        return response


class AccountSettingsView(LoginRequiredMixin, FormView):
    """Anyone signed in chooses the zone their times are shown in, and their language."""

    template_name = "core/account_settings.html"
    form_class = AccountSettingsForm
    success_url = reverse_lazy("core:account-settings")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"current_zone": self.request.user.time_zone}

    def get_initial(self):
        user = self.request.user
        return {"time_zone": user.time_zone, "language": user.language}

    def form_valid(self, form):
        try:
            services.user_settings_update(
                user=self.request.user,
                time_zone=form.cleaned_data["time_zone"],
                language=form.cleaned_data["language"],
            )
        except DomainError as exc:
            form_error(form, exc)
            return self.form_invalid(form)
        language = self.request.user.language
        with translation.override(language):
            messages.success(self.request, _("Your settings were saved."))
        response = super().form_valid(form)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=self.request.is_secure(),
        )
        return response


class LanguageSetView(View):
    """Switch the interface language; for a signed-in person it is saved with them."""

    def post(self, request):
        language = request.POST.get("language")
        next_url = request.POST.get("next") or "/"
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = "/"
        response = HttpResponseRedirect(next_url)
        if language not in Language.values:
            return response
        if request.user.is_authenticated:
            services.user_language_set(user=request.user, language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=request.is_secure(),
        )
        return response


class OrganisationListView(LoginRequiredMixin, ListView):
    template_name = "core/organisation_list.html"
    context_object_name = "organisations"
    paginate_by = 50

    def get_queryset(self):
        kind = self.request.GET.get("kind")
        return selectors.organisation_list(
            user=self.request.user, kind=kind if kind in Kind.values else None
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kinds"] = Kind.choices[:6]
        context["selected_kind"] = self.request.GET.get("kind", "")
        return context


class OrganisationDetailView(LoginRequiredMixin, DetailView):
    template_name = "core/organisation_detail.html"
    context_object_name = "organisation"

    def get_object(self, queryset=None):
        return selectors.organisation_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["members"] = self.object.memberships.select_related("user").order_by(
            "user__last_name", "user__username"
        )
        return context


def my_organisation(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation = request.user.organisation
    if organisation is None:
        raise PermissionDenied
    return redirect(organisation.get_absolute_url())


def _database_answers() -> bool:
    """The database answers a query: on a fresh connection if the kept one was dropped
    (a terminated backend says nothing about the database itself)."""
    for attempt in (1, 2):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            return True
        except Exception:
            if attempt == 1 and not connection.in_atomic_block:
                connection.close()
    return False


def healthz(request):
    """Liveness of the database and the broker, for load balancers and compose."""
    result = {"status": "ok", "database": "ok", "broker": "ok"}
    if not _database_answers():
        result["database"] = "error"
    if not settings.CELERY_BROKER_URL:
        result["broker"] = "in-process"
    else:
        try:
            with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
                # One try: kombu's max_retries=1 is one retry more, after a 2 s sleep.
                conn.ensure_connection(max_retries=0)
        except Exception:
            result["broker"] = "error"
    healthy = result["database"] == "ok" and result["broker"] in ("ok", "in-process")
    result["status"] = "ok" if healthy else "error"
    return JsonResponse(result, status=200 if healthy else 503)


class JobDetailView(LoginRequiredMixin, DetailView):
    """Progress of a background job; htmx polls the fragment until it finishes."""

    context_object_name = "job"

    def get_template_names(self):
        if self.request.htmx:
            return ["core/_job_progress.html"]
        return ["core/job_detail.html"]

    def get_object(self, queryset=None):
        return selectors.job_get(user=self.request.user, pk=self.kwargs["pk"])


def job_download(request, pk):
    from django.http import FileResponse, Http404

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    job = selectors.job_get(user=request.user, pk=pk)
    if not job.result_file:
        raise Http404
    return FileResponse(
        job.result_file.open("rb"), as_attachment=True, filename=job.result_filename
    )


def _too_many(request, throttle, message: str):
    """429 for a page whose DRF throttle said no, with when to try again."""
    wait = throttle.wait() or 60
    response = render(
        request,
        "registration/too_many.html",
        {"message": message, "minutes": max(1, math.ceil(wait / 60))},
        status=429,
    )
    response["Retry-After"] = str(math.ceil(wait))
    return response


class SignUpView(FormView):
    """An applicant creates their own account. It acts only once they follow the link
    emailed to them; sign-ups from one address are throttled (the "signup" rate)."""

    template_name = "registration/signup.html"
    form_class = SignUpForm
    throttle_scope = "signup"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("home")
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        throttle = ScopedRateThrottle()
        if not throttle.allow_request(request, self):
            return _too_many(
                request, throttle, _("Too many accounts were created from your network.")
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        language = translation.get_language() or "en"
        try:
            services.applicant_sign_up(
                username=data["username"],
                email=data["email"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                language="ja" if language.startswith("ja") else "en",
            )
        except DomainError as exc:
            form_error(form, exc)
            return self.form_invalid(form)
        return redirect("signup-sent")


class SignUpSentView(TemplateView):
    """After signing up: the link is on its way."""

    template_name = "registration/signup_sent.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(hours=settings.EMAIL_CONFIRM_HOURS, **kwargs)


class EmailConfirmView(FormView):
    """The emailed link: its page asks for one press of a button, so a mail scanner that
    opens links does not use the single-use link up; the press confirms the address and
    the person signs in."""

    template_name = "registration/email_confirm.html"
    form_class = EmailConfirmForm

    def get_initial(self):
        return {"token": self.request.GET.get("token", "")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["has_token"] = bool(self.request.GET.get("token") or self.request.POST.get("token"))
        return context

    def form_valid(self, form):
        try:
            services.email_confirm(token=form.cleaned_data["token"])
        except DomainError as exc:
            form_error(form, exc)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(
            self.request, _("Your email address is confirmed. Sign in to start your application.")
        )
        return redirect(f"{reverse('login')}?next={reverse('mofa:applicant-workspace')}")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request, exception=None):
    """404: JSON under /api/ (an API client reads JSON, never a page), else the page."""
    if _wants_json(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception=None):
    """400 raised before any view (too many form fields, a malformed multipart body): JSON
    under /api/, else the page."""
    if _wants_json(request):
        return JsonResponse({"detail": _("The request is malformed.")}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    """403 raised outside the API's views: JSON under /api/, else the page."""
    if _wants_json(request):
        message = str(exception) if exception and str(exception) else ""
        return JsonResponse(
            {"detail": message or _("You do not have permission to do this.")}, status=403
        )
    return defaults.permission_denied(request, exception)


def server_error(request):
    """500: JSON under /api/, else the page; nothing of the error is shown."""
    if _wants_json(request):
        return JsonResponse(
            {"detail": _("Something went wrong on our side. Try again.")}, status=500
        )
    return defaults.server_error(request)


class SavedFilterSaveView(LoginRequiredMixin, View):
    """Save the filters of the list the form is on (its path and query string) under a
    name, then show the list so filtered."""

    def post(self, request):
        path = request.POST.get("path", "")
        try:
            saved = services.saved_filter_save(
                by=request.user,
                path=path,
                query=request.POST.get("query", ""),
                name=request.POST.get("name", ""),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(path if services.local_list_path(path) else "home")
        messages.success(request, _("Filters saved as “%(name)s”.") % {"name": saved.name})
        return redirect(saved.url)


class SavedFilterDeleteView(LoginRequiredMixin, View):
    """Delete one of one's own saved filters (anyone else's is 404) and go back to its list."""

    def post(self, request, pk):
        saved = selectors.saved_filter_get(user=request.user, pk=pk)
        services.saved_filter_delete(by=request.user, saved_filter=saved)
        messages.success(request, _("Saved filter “%(name)s” deleted.") % {"name": saved.name})
        return redirect(saved.path)
