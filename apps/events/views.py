"""Event pages, which belong to no single actor: organisers (CLAIR, a mission, a
contracting organisation) run their events, MEXT adds workshops to CLAIR's conferences,
MOFA reads them all, and applicants and participants register, choose sessions and keep
their schedule.

Every event comes through `event_get`, so an event the user may not see is a 404; one
they may see but not change is a 403. Who may do what is the access rule's (POLICY
"events.*"), asked here for the pages' flags and again by each service.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from apps.core import access
from apps.core.errors import DomainError
from apps.core.forms import form_error
from apps.core.schedule import schedule_audience, schedule_items
from apps.core.selectors import programme_year_current
from apps.core.views import AccessRequiredMixin
from apps.events import calendar, jobs, qr, rules, selectors
from apps.events import services as events
from apps.events.forms import FORMATS, EventForm, SessionChoiceForm, SessionForm, wall_clock
from apps.events.models import Event, Registration

REGISTRATIONS_PER_PAGE = 100


def _registers(user) -> bool:
    """Whether the user registers for events (an applicant, a participant): they see an
    event as someone who may attend it, the others as its organisers and readers."""
    return access.allowed(user, "add", Registration)


def _back(request, default: str) -> str:
    """Where a form posted from a page sends the person back to."""
    next_url = request.POST.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return default


def _with_waitlist_positions(registrations):
    """Each registration's place in its event's waitlist (meaningful while waitlisted),
    in the same query: how many wait before it, plus one, in the order the service moves
    them up. Only a count of the others is read, never who they are."""
    mine = OuterRef("created_at")
    ahead = (
        Registration.objects.filter(event=OuterRef("event"), state=Registration.State.WAITLISTED)
        .filter(Q(created_at__lt=mine) | Q(created_at=mine, pk__lt=OuterRef("pk")))
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return registrations.annotate(
        queue_position=Coalesce(Subquery(ahead, output_field=IntegerField()), 0) + 1
    )


def _texts(obj) -> dict:
    """The bilingual fields of an event in the reader's language, for templates."""
    return {name: obj.text(name) for name in ("title", "description", "venue", "bring")}


def _query(request) -> str:
    """The page's query string without the page number, for pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _own_registrations(user, event=None) -> dict:
    """The person's live registrations, by event id."""
    registrations = selectors.registration_list(user=user, event=event).filter(
        person=user, state__in=Registration.LIVE
    )
    return {r.event_id: r for r in _with_waitlist_positions(registrations)}


# --- lists ---------------------------------------------------------------------------------


class EventListView(AccessRequiredMixin, ListView):
    """Organisers: the events they run, present in or read, and a way to start a new
    one. A person: the upcoming events meant for them, with their registration."""

    permission = ("view", Event)
    context_object_name = "events"
    paginate_by = 50

    def get_template_names(self):
        if _registers(self.request.user):
            return ["programme/events/person_event_list.html"]
        return ["programme/events/event_list.html"]

    def get_queryset(self):
        user = self.request.user
        if _registers(user):
            return selectors.with_seats(selectors.event_list(user=user, upcoming=True))
        kind = self.request.GET.get("kind")
        return selectors.with_seats(
            selectors.event_list(
                user=user,
                kind=kind if kind in Event.Kind.values else None,
                upcoming=self.request.GET.get("past") != "1",
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if _registers(user):
            registrations = _own_registrations(user)
            context["rows"] = [(event, registrations.get(event.pk)) for event in context["events"]]
        else:
            runs = set()
            if access.allowed(user, "add", Event):
                runs = rules.kinds_run_by(user.organisation)
            context["new_kinds"] = [(k, label) for k, label in Event.Kind.choices if k in runs]
            context["kinds"] = Event.Kind.choices
            context["selected_kind"] = self.request.GET.get("kind", "")
            context["show_past"] = self.request.GET.get("past") == "1"
        context["query"] = _query(self.request)
        return context


# --- an event as its organiser sees it -----------------------------------------------------


class EventCreateView(AccessRequiredMixin, FormView):
    permission = ("add", Event)
    template_name = "programme/events/event_form.html"
    form_class = EventForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["kinds"] = rules.kinds_run_by(self.request.user.organisation)
        return kwargs

    def get_initial(self):
        kinds = rules.kinds_run_by(self.request.user.organisation)
        kind = self.request.GET.get("kind")
        if kind not in kinds:
            # The form's first kind, so that its defaults match what the form shows.
            kind = next((k for k in Event.Kind.values if k in kinds), None)
        initial = {"kind": kind, "time_zone": self.request.user.time_zone or "Asia/Tokyo"}
        if kind:
            initial |= rules.defaults_for(kind, self.request.user.organisation)
        return initial

    def form_valid(self, form):
        year = programme_year_current()
        try:
            if year is None:
                raise DomainError(_("There is no current programme year."))
            event = events.event_create(
                by=self.request.user, programme_year=year, **form.event_fields()
            )
        except DomainError as exc:
            form_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The event is created."))
        return redirect("events:event-detail", pk=event.pk)


class EventEditView(LoginRequiredMixin, FormView):
    """Only whoever may change the event: everyone else who sees it gets 403."""

    template_name = "programme/events/event_form.html"
    form_class = EventForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.event = selectors.event_get(user=request.user, pk=kwargs["pk"])
        access.require(request.user, "change", self.event)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["kinds"] = rules.kinds_run_by(self.event.organiser)
        return kwargs

    def get_initial(self):
        return EventForm.initial_from(self.event)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["event"] = self.event
        return context

    def form_valid(self, form):
        if not form.has_changed():
            messages.info(self.request, _("Nothing was changed."))
            return redirect("events:event-detail", pk=self.event.pk)
        sequence = self.event.sequence
        try:
            event = events.event_update(
                by=self.request.user, event=self.event, **form.changed_fields()
            )
        except DomainError as exc:
            form_error(form, exc)
            return self.form_invalid(form)
        if event.sequence != sequence:
            messages.success(self.request, _("The event is changed; everyone registered is told."))
        else:
            messages.success(self.request, _("The event is changed."))
        return redirect("events:event-detail", pk=self.event.pk)


class EventDetailView(LoginRequiredMixin, TemplateView):
    """One page, two faces: the organiser's (sessions, registrations, check-in, export)
    and the person's (registration and the choice of sessions)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.event = selectors.event_get(user=request.user, pk=kwargs["pk"], seats=True)
        return super().dispatch(request, *args, **kwargs)

    def get_template_names(self):
        if _registers(self.request.user):
            return ["programme/events/person_event_detail.html"]
        return ["programme/events/event_detail.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["event"] = self.event
        context["text"] = _texts(self.event)
        if _registers(self.request.user):
            context.update(self.person_context(kwargs.get("choice_form")))
        else:
            context.update(self.organiser_context())
        return context

    def organiser_context(self) -> dict:
        user, event = self.request.user, self.event
        can_edit = access.can(user, "change", event)
        sessions = selectors.session_list(user=user, event=event)
        changeable = set(access.restrict(sessions, user, "change").values_list("pk", flat=True))
        context = {
            "can_edit": can_edit,
            "can_add_session": access.can(user, "add_session", event),
            "adds_workshop": not can_edit,
            "session_rows": [(s, s.pk in changeable) for s in sessions],
            "can_check_in": can_edit,
        }
        registrations = selectors.registration_list(user=user, event=event)
        counts = registrations.aggregate(
            registered=Count("pk", filter=Q(state=Registration.State.REGISTERED)),
            waitlisted=Count("pk", filter=Q(state=Registration.State.WAITLISTED)),
            cancelled=Count("pk", filter=Q(state=Registration.State.CANCELLED)),
        )
        state = self.request.GET.get("state")
        if state in Registration.State.values:
            registrations = registrations.filter(state=state)
        search = (self.request.GET.get("q") or "").strip()[:100]
        registrations = selectors.registration_search(registrations, search)
        page = Paginator(registrations, REGISTRATIONS_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        context.update(
            show_registrations=can_edit or any(counts.values()),
            counts=counts,
            registration_page=page,
            states=Registration.State.choices,
            selected_state=state or "",
            registration_search=search,
            registration_query=_query(self.request),
            formats=FORMATS,
        )
        return context

    def person_context(self, choice_form=None) -> dict:
        user, event = self.request.user, self.event
        registration = _own_registrations(user, event).get(event.pk)
        sessions = selectors.session_list(user=user, event=event)
        context = {
            "registration": registration,
            "is_for": access.can(user, "register", event),
            "sessions": sessions,
        }
        if registration and registration.state == Registration.State.REGISTERED:
            context["qr_svg"] = qr.registration_svg(
                self.request.build_absolute_uri(_check_in_url(registration))
            )
        if registration and registration.state == Registration.State.REGISTERED and sessions:
            context["choice_form"] = choice_form or SessionChoiceForm(
                sessions=sessions, initial={"sessions": list(registration.sessions.all())}
            )
        return context

    def post(self, request, *args, **kwargs):
        """A person chooses their sessions."""
        user = request.user
        registration = _own_registrations(user, self.event).get(self.event.pk)
        if registration is None:
            raise PermissionDenied
        sessions = selectors.session_list(user=user, event=self.event)
        form = SessionChoiceForm(request.POST, sessions=sessions)
        if form.is_valid():
            try:
                events.registration_sessions_choose(
                    by=user, registration=registration, sessions=form.cleaned_data["sessions"]
                )
            except DomainError as exc:
                if registration.state != Registration.State.REGISTERED:
                    # No choice to show the refusal on (a waitlisted person has none yet).
                    messages.error(request, exc.message)
                    return redirect("events:event-detail", pk=self.event.pk)
                form_error(form, exc)
            else:
                messages.success(request, _("Your sessions are saved."))
                return redirect("events:event-detail", pk=self.event.pk)
        return self.render_to_response(self.get_context_data(choice_form=form))


# --- sessions ------------------------------------------------------------------------------


class _ClashMixin:
    """A session form that, refused for a room already booked then, asks to confirm."""

    def refused(self, form, exc: DomainError):
        form_error(form, exc)
        response = self.form_invalid(form)
        if exc.field == "room":
            response.context_data["ask_confirm_clash"] = True
        return response


class SessionCreateView(_ClashMixin, LoginRequiredMixin, FormView):
    """The organiser adds a session; MEXT a workshop to a CLAIR conference."""

    template_name = "programme/events/session_form.html"
    form_class = SessionForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.event = selectors.event_get(user=request.user, pk=kwargs["pk"])
        access.require(request.user, "add_session", self.event)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"zone_name": self.event.time_zone}

    def get_initial(self):
        return {
            "starts_at": wall_clock(self.event.starts_at, self.event.time_zone),
            "ends_at": wall_clock(self.event.ends_at, self.event.time_zone),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["event"] = self.event
        context["adds_workshop"] = not access.can(self.request.user, "change", self.event)
        return context

    def form_valid(self, form):
        try:
            events.session_create(
                by=self.request.user,
                event=self.event,
                confirm_clash=form.cleaned_data["confirm_clash"],
                **form.session_fields(),
            )
        except DomainError as exc:
            return self.refused(form, exc)
        messages.success(self.request, _("The session is added."))
        return redirect("events:event-detail", pk=self.event.pk)


class _SessionMixin(LoginRequiredMixin):
    """A session of a visible event (else 404), on which the user may do `action` (else
    403)."""

    action = "change"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        session = selectors.session_list(user=request.user).filter(pk=kwargs["pk"]).first()
        if session is None:
            raise Http404
        access.require(request.user, self.action, session)
        self.session = session
        self.event = session.event
        return super().dispatch(request, *args, **kwargs)


class SessionEditView(_ClashMixin, _SessionMixin, FormView):
    template_name = "programme/events/session_form.html"
    form_class = SessionForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"zone_name": self.event.time_zone}

    def get_initial(self):
        return SessionForm.initial_from(self.session)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["event"] = self.event
        context["session"] = self.session
        return context

    def form_valid(self, form):
        if not form.has_changed():
            return redirect("events:event-detail", pk=self.event.pk)
        try:
            events.session_update(
                by=self.request.user,
                session=self.session,
                confirm_clash=form.cleaned_data["confirm_clash"],
                **form.session_fields(),
            )
        except DomainError as exc:
            return self.refused(form, exc)
        messages.success(self.request, _("The session is changed."))
        return redirect("events:event-detail", pk=self.event.pk)


class SessionDeleteView(_SessionMixin, View):
    action = "delete"

    def post(self, request, pk):
        try:
            events.session_delete(by=request.user, session=self.session)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The session is removed."))
        return redirect("events:event-detail", pk=self.event.pk)


# --- registrations -------------------------------------------------------------------------


class RegisterView(AccessRequiredMixin, View):
    permission = ("add", Registration)

    def post(self, request, pk):
        event = selectors.event_get(user=request.user, pk=pk)
        try:
            registration = events.registration_create(by=request.user, event=event)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if registration.state == Registration.State.WAITLISTED:
                messages.success(
                    request, _("The event is full: you are on the waitlist and will be told.")
                )
            else:
                messages.success(request, _("You are registered."))
        return redirect(_back(request, reverse("events:event-detail", args=[event.pk])))


class RegistrationCancelView(LoginRequiredMixin, TemplateView):
    """Cancel in two steps: the first post shows what cancelling does (a seat goes to
    the next person on the waitlist) and asks again; only a post with `confirm` cancels."""

    template_name = "programme/events/registration_cancel_confirm.html"
    http_method_names = ["post", "options"]

    def post(self, request, pk):
        registration = selectors.registration_get(user=request.user, pk=pk)
        confirmed = request.POST.get("confirm") == "yes"
        if not confirmed and registration.state != Registration.State.CANCELLED:
            access.require(
                request.user, "cancel", registration, _("You cannot cancel this registration.")
            )
            default = reverse("events:event-detail", args=[registration.event_id])
            return self.render_to_response(
                {
                    "registration": registration,
                    "event": registration.event,
                    "own": registration.person_id == request.user.pk,
                    "preview": selectors.registration_cancel_preview(registration=registration),
                    "next": _back(request, default),
                }
            )
        try:
            events.registration_cancel(by=request.user, registration=registration)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The registration is cancelled."))
        default = reverse("events:event-detail", args=[registration.event_id])
        return redirect(_back(request, default))


class CheckInView(LoginRequiredMixin, View):
    def post(self, request, pk):
        registration = selectors.registration_get(user=request.user, pk=pk, perm="change")
        try:
            registration = events.registration_check_in(by=request.user, registration=registration)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(name)s is checked in.") % {"name": registration.person.get_full_name()},
            )
        default = reverse("events:event-detail", args=[registration.event_id])
        return redirect(_back(request, default + "#registrations"))


class CheckInUndoView(LoginRequiredMixin, View):
    def post(self, request, pk):
        registration = selectors.registration_get(user=request.user, pk=pk, perm="change")
        try:
            registration = events.registration_check_in_undo(
                by=request.user, registration=registration
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(name)s is no longer checked in.")
                % {"name": registration.person.get_full_name()},
            )
        default = reverse("events:event-detail", args=[registration.event_id])
        return redirect(_back(request, default + "#registrations"))


class PromoteView(LoginRequiredMixin, View):
    """The organiser gives a waitlisted person a seat."""

    def post(self, request, pk):
        registration = selectors.registration_get(user=request.user, pk=pk, perm="change")
        try:
            registration = events.registration_promote(by=request.user, registration=registration)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(name)s holds a seat now and is told.")
                % {"name": registration.person.get_full_name()},
            )
        default = reverse("events:event-detail", args=[registration.event_id])
        return redirect(_back(request, default + "#registrations"))


def _check_in_url(registration) -> str:
    """The check-in page finding this registration: what its QR code holds, so that a
    phone's own camera app opens it too."""
    return "{}?q=%23{}".format(
        reverse("events:check-in", args=[registration.event_id]), registration.pk
    )


CHECK_IN_PER_PAGE = 50


class CheckInPageView(LoginRequiredMixin, TemplateView):
    """The door: find someone by name, email or number (or scan their code), check them
    in or take it back. Made for a phone held in one hand."""

    template_name = "programme/events/check_in.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.event = selectors.event_get(user=request.user, pk=kwargs["pk"], seats=True)
        access.require(request.user, "change", self.event)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, event = self.request.user, self.event
        query = (self.request.GET.get("q") or "").strip()[:100]
        registrations = selectors.registration_list(
            user=user, event=event, state=Registration.State.REGISTERED
        )
        counts = registrations.aggregate(
            registered=Count("pk"), checked_in=Count("pk", filter=Q(attended_at__isnull=False))
        )
        found = selectors.registration_search(registrations, query).order_by(
            "person__last_name", "person__first_name", "pk"
        )
        page = Paginator(found, CHECK_IN_PER_PAGE).get_page(self.request.GET.get("page"))
        context.update(
            event=event,
            text=_texts(event),
            query=query,
            counts=counts,
            registration_page=page,
            page_query=_query(self.request),
        )
        return context


class TimetableView(LoginRequiredMixin, TemplateView):
    """The sessions of an event as a grid, day by room, in the reader's time zone."""

    template_name = "programme/events/timetable.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.event = selectors.event_get(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sessions = selectors.session_list(user=self.request.user, event=self.event)
        context.update(event=self.event, grid=selectors.timetable(sessions=sessions))
        return context


class EventCalendarView(LoginRequiredMixin, View):
    """The event and its sessions as an .ics file, to add to one's calendar once."""

    def get(self, request, pk):
        event = selectors.event_get(user=request.user, pk=pk)
        sessions = selectors.session_list(user=request.user, event=event)
        registration = _own_registrations(request.user, event).get(event.pk)
        body = calendar.event_calendar_build(event, sessions, registration)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="jet-event-{event.pk}.ics"'
        response["Cache-Control"] = "private, no-store"
        return response


class RegistrationsExportView(LoginRequiredMixin, View):
    def post(self, request, pk):
        event = selectors.event_get(user=request.user, pk=pk)
        access.require(request.user, "change", event)
        try:
            job = jobs.registrations_export_start(
                by=request.user, event=event, file_format=request.POST.get("format", "csv")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("events:event-detail", pk=event.pk)
        return redirect(job.get_absolute_url())


# --- the person's schedule -----------------------------------------------------------------


def calendar_feed_url(request, token: str) -> str:
    try:
        return request.build_absolute_uri(
            reverse("calendar:calendar-feed", kwargs={"token": token})
        )
    except NoReverseMatch:
        return f"{request.build_absolute_uri('/')}calendar/{token}.ics"


class ScheduleAccessMixin(LoginRequiredMixin):
    """For those who register for events, and those another domain gives a schedule of
    their own (the mission's staff, for their interview panels: apps.core.schedule)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not (
            access.allowed(request.user, "add", Registration) or schedule_audience(request.user)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScheduleView(ScheduleAccessMixin, TemplateView):
    """Every event the person holds a place (or waits) for, soonest first, in their time
    zone and language, and their booked interviews (apps.core.schedule), with the address
    of their calendar feed."""

    template_name = "programme/events/schedule.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        entries = selectors.schedule(user=user)
        for entry in entries:
            entry["text"] = _texts(entry["event"])
        context["entries"] = entries
        context["items"] = schedule_items(user=user)
        feed = events.calendar_feed_get(person=user)
        context["feed_url"] = calendar_feed_url(self.request, feed.token)
        context["webcal_url"] = "webcal://" + context["feed_url"].split("://", 1)[1]
        return context


class CalendarFeedResetView(ScheduleAccessMixin, View):
    def post(self, request):
        events.calendar_feed_reset(by=request.user)
        messages.success(
            request,
            _("Your calendar has a new address; the old one no longer works. Subscribe again."),
        )
        return redirect("events:schedule")
