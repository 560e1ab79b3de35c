"""The embassy and consulate pages: review, interviews, decisions, release, hand-off.

Every page reads through the selectors, so another mission's application answers 404,
and every change goes through a service in apps.recruitment.services, whose refusal is
shown as it is. Visible but not allowed (no `decide_application`, say) answers 403.
"""

import statistics
from functools import cached_property
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import ListView, TemplateView

from apps.core import access
from apps.core import selectors as core_selectors
from apps.core import services as core_services
from apps.core.errors import DomainError
from apps.core.forms import form_error
from apps.core.models import Kind, User
from apps.core.views import KindRequiredMixin
from apps.mofa import exports, jobs
from apps.mofa.forms_mission import (
    ApplicationFilterForm,
    BulkActionForm,
    CorrectionForm,
    DecisionForm,
    InterviewDayForm,
    InterviewSlotForm,
    ReleaseForm,
    RubricCriterionForm,
    ScoreCorrectionForm,
    ScoreForm,
    SlotAssignForm,
    UpgradeForm,
)
from apps.placement import selectors as placement_selectors
from apps.recruitment import selectors as recruitment_selectors
from apps.recruitment import services
from apps.recruitment.models import (
    Application,
    InterviewBooking,
    ReplyForm,
    RubricCriterion,
    Score,
)
from apps.recruitment.reasons import reason_text

Status = Application.Status
UNDECIDED = (Status.SUBMITTED, Status.INTERVIEW)
# How far the detail page's previous and next look through the list it came from.
NEIGHBOURS_MAX = 5000
DECIDABLE = (Status.SUBMITTED, Status.INTERVIEW, *Application.DECISIONS)


def mission_staff(user: User) -> QuerySet[User]:
    """The staff of the user's own embassy or consulate: reviewers and panel members."""
    return core_selectors.organisation_staff(organisation=user.organisation)


def status_totals(*, user: User, programme_year) -> dict[str, int]:
    """The mission's own applications by status, summed over country and position."""
    totals = dict.fromkeys(recruitment_selectors.COUNTED, 0)
    totals["total"] = 0
    if programme_year is None:
        return totals
    for row in recruitment_selectors.application_counts(user=user, programme_year=programme_year):
        for key in totals:
            totals[key] += row[key]
    return totals


class MissionPageMixin(KindRequiredMixin):
    kinds = (Kind.MISSION,)

    @cached_property
    def programme_year(self):
        return core_selectors.programme_year_current()

    @cached_property
    def staff(self) -> QuerySet[User]:
        return mission_staff(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["programme_year"] = self.programme_year
        return context

    def year_valid(self, form) -> bool:
        """A form that writes for the current programme year, when there is one."""
        if not form.is_valid():
            return False
        if self.programme_year is None:
            form.add_error(None, _("There is no current programme year."))
            return False
        return True


# --- the application list -------------------------------------------------------------


def filter_form(page: MissionPageMixin, data) -> ApplicationFilterForm:
    """The list's filters; without a chosen year, the current one."""
    data = data.copy()
    if not data.get("year") and page.programme_year is not None:
        data["year"] = str(page.programme_year.year)
    if not data.get("o") and data.get("sort"):
        data["o"] = data["sort"]  # the name of the sort in links made before `?o=`
    return ApplicationFilterForm(data, staff=page.staff)


def back_to_list(value: str | None) -> str:
    """The list the detail page was opened from, with its filters and sort (`?back=`),
    if it is that list on this site; otherwise the list unfiltered."""
    base = reverse("mofa:mission-applications")
    if (
        value
        and url_has_allowed_host_and_scheme(value, allowed_hosts=None)
        and value.startswith(base)
        and value[len(base) :][:1] in ("", "?")
    ):
        return value
    return base


# The list's columns: the sort key of each (`?o=`, selectors.SORT_COLUMNS) and heading.
COLUMNS = (
    ("number", _lazy("Number")),
    ("name", _lazy("Name")),
    ("position", _lazy("Position")),
    ("status", _lazy("Status")),
    ("eligibility", _lazy("Eligibility")),
    ("score", _lazy("Screening score")),
    ("reviewers", _lazy("Reviewers")),
)


def sort_columns(current: str) -> list[dict]:
    """Each column heading's sort link: ascending first, then the other way round."""
    columns = []
    for key, label in COLUMNS:
        state = "ascending" if current == key else "descending" if current == f"-{key}" else ""
        columns.append(
            {
                "key": key,
                "label": label,
                "o": f"-{key}" if state == "ascending" else key,
                "aria_sort": state,
            }
        )
    return columns


class ApplicationListView(MissionPageMixin, ListView):
    """The mission's own applications: filters, sort, 50 a page, bulk actions. htmx
    swaps the results when a filter changes."""

    template_name = "mofa/mission/application_list.html"
    context_object_name = "applications"
    paginate_by = 50
    # The columns a row shows (mofa/mission/_application_results.html; `full_name` reads
    # the two names). A page read all 50 of an application's, with its mission and its
    # country, to show these: a statement of purpose alone is some 450 characters a row.
    # 9 ms to 5.5 for the demo mission's page of 50, in one process. A column the template
    # comes to show and this leaves out costs a query a row, which
    # tests/recruitment/test_list_depth.py's flat query count catches.
    row_columns = (
        "number",
        "given_names",
        "family_name",
        "name_japanese",
        "position",
        "status",
        "alternate_rank",
        "reply_due",
        "eligibility",
        "screening_average",
    )

    @cached_property
    def filter_form(self) -> ApplicationFilterForm:
        return filter_form(self, self.request.GET)

    def get_queryset(self):
        filters = self.filter_form.filters()
        if "o" in self.filter_form.errors and not self.request.htmx:
            messages.warning(
                self.request, _("The list cannot be sorted that way; it is in its usual order.")
            )
        rows = exports.applications_for(user=self.request.user, filters=filters)
        return rows.select_related(None).only(*self.row_columns)

    def paginate_queryset(self, queryset, page_size):
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        # A reviewer who has not scored an application sees no average on it here either.
        rows = recruitment_selectors.score_visibility_attach(rows, user=self.request.user)
        page.object_list = rows
        return paginator, page, rows, is_paginated

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return ["mofa/mission/_application_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        context["bulk_form"] = BulkActionForm(
            prefix="bulk", applications=Application.objects.none(), staff=self.staff
        )
        context["export_params"] = [
            (name, value)
            for name, value in self.request.GET.items()
            if name in self.filter_form.fields
        ]
        user = self.request.user
        list_path = self.request.path
        sort = self.filter_form.filters().get("sort", "")
        totals = recruitment_selectors.application_status_counts(
            user=user, programme_year=self.programme_year
        )
        context.update(
            columns=sort_columns(sort),
            status_links=[
                {
                    "status": status,
                    "label": Status(status).label,
                    "count": totals[status],
                    "current": self.request.GET.get("status") == status,
                }
                for status in recruitment_selectors.COUNTED
            ],
            places=recruitment_selectors.places_remaining(
                user=user, programme_year=self.programme_year
            ),
            saved_filters=core_selectors.saved_filter_list(user=user, path=list_path),
            list_path=list_path,
            list_query=core_services.list_query_clean(self.request.GET.urlencode()),
            back=self.request.get_full_path(),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = BulkActionForm(
            request.POST,
            prefix="bulk",
            applications=recruitment_selectors.application_list(user=request.user),
            staff=self.staff,
        )
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(request.get_full_path())
        try:
            messages.success(request, self.bulk(form.cleaned_data))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(request.get_full_path())

    def bulk(self, data) -> str:
        by = self.request.user
        applications = list(data["applications"])
        action = data["action"]
        if action == BulkActionForm.ASSIGN:
            reviewer = data["reviewer"]
            count = services.reviewers_assign(by=by, applications=applications, reviewer=reviewer)
            return ngettext(
                "%(count)s application assigned to %(name)s.",
                "%(count)s applications assigned to %(name)s.",
                count,
            ) % {"count": count, "name": reviewer.get_full_name() or reviewer.username}
        if action == BulkActionForm.INVITE:
            count = services.interviews_invite(by=by, applications=applications)
            return ngettext(
                "%(count)s applicant invited to interview.",
                "%(count)s applicants invited to interview.",
                count,
            ) % {"count": count}
        if action == BulkActionForm.DECIDE:
            decision = data["decision"]
            count = services.applications_decide(
                by=by, applications=applications, decision=decision
            )
            return ngettext(
                "%(count)s application marked “%(decision)s”. Applicants hear nothing "
                "until the results are released.",
                "%(count)s applications marked “%(decision)s”. Applicants hear nothing "
                "until the results are released.",
                count,
            ) % {"count": count, "decision": Status(decision).label}
        count = services.applications_forward(by=by, applications=applications)
        return ngettext(
            "%(count)s candidate forwarded to CLAIR.",
            "%(count)s candidates forwarded to CLAIR.",
            count,
        ) % {"count": count}


class ApplicationExportView(MissionPageMixin, View):
    """Start the export of the filtered list as a background job and show its progress."""

    def post(self, request):
        form = filter_form(self, request.POST)
        try:
            job = jobs.applications_export_start(
                by=request.user, filters=form.filters(), file_format=request.POST.get("format")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("mofa:mission-applications")
        return redirect(job.get_absolute_url())


# --- one application ------------------------------------------------------------------


def _spread(scores: list[Score]) -> dict | None:
    if not scores:
        return None
    totals = [float(s.total) for s in scores]
    return {
        "count": len(totals),
        "average": statistics.fmean(totals),
        "low": min(totals),
        "high": max(totals),
        "stdev": statistics.pstdev(totals),
    }


class ApplicationDetailView(MissionPageMixin, TemplateView):
    """Every section of one application, with the forms of what the user may do now.
    A refused or invalid form comes back with what was typed and the reason."""

    template_name = "mofa/mission/application_detail.html"
    # action -> the permission it needs on the application
    ACTIONS = {
        "verify": "review_application",
        "correct": "review_application",
        "score": "review_application",
        "correct_score": "review_application",
        "invite": "review_application",
        "book": "review_application",
        "decide": "decide_application",
        "upgrade": "decide_application",
        "forward": "decide_application",
    }

    def get(self, request, *args, **kwargs):
        self.application = recruitment_selectors.application_get(user=request.user, pk=kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action not in self.ACTIONS:
            return HttpResponseBadRequest()
        self.application = recruitment_selectors.application_get(
            user=request.user, pk=kwargs["pk"], perm=self.ACTIONS[action]
        )
        self.bound: dict = {}
        response = getattr(self, f"do_{action}")()
        if response is not None:
            return response
        return self.render_to_response(self.get_context_data(**kwargs))

    def done(self, message: str, anchor: str = ""):
        messages.success(self.request, message)
        # The same page, still knowing the list it was opened from (`?back=`).
        url = self.request.get_full_path() + (f"#{anchor}" if anchor else "")
        return redirect(url)

    def refused(self, exc: DomainError, anchor: str = ""):
        messages.error(self.request, exc.message)
        url = self.request.get_full_path() + (f"#{anchor}" if anchor else "")
        return redirect(url)

    @cached_property
    def back(self) -> str:
        return back_to_list(self.request.GET.get("back"))

    def neighbours(self) -> dict:
        """The previous and next application in the list the page was opened from (its
        filters and sort, through the same selector), with links keeping that list."""
        query = QueryDict(urlsplit(self.back).query)
        filters = filter_form(self, query).filters()
        rows = exports.applications_for(user=self.request.user, filters=filters)
        pks = list(rows.values_list("pk", flat=True)[:NEIGHBOURS_MAX])
        found = {"previous": None, "next": None, "position": None, "count": len(pks)}
        if self.application.pk not in pks:
            return found
        at = pks.index(self.application.pk)
        back = urlencode({"back": self.back})
        detail = "mofa:mission-application-detail"
        if at > 0:
            found["previous"] = f"{reverse(detail, args=[pks[at - 1]])}?{back}"
        if at + 1 < len(pks):
            found["next"] = f"{reverse(detail, args=[pks[at + 1]])}?{back}"
        found["position"] = at + 1
        return found

    # Reads shared by the page and the actions.

    @cached_property
    def documents(self):
        return recruitment_selectors.document_list(
            user=self.request.user, application=self.application
        )

    def document(self):
        pk = self.request.POST.get("document", "")
        for document in self.documents:
            if str(document.pk) == pk:
                return document
        raise Http404

    @cached_property
    def criteria(self) -> list[RubricCriterion]:
        return list(
            RubricCriterion.objects.filter(
                mission_id=self.application.mission_id,
                programme_year_id=self.application.programme_year_id,
            )
        )

    @cached_property
    def slots(self):
        return recruitment_selectors.interview_slot_list(
            user=self.request.user, programme_year=self.application.programme_year
        )

    def score_form(self, stage: str, data=None) -> ScoreForm:
        return ScoreForm(data, criteria=self.criteria, prefix=stage.lower())

    # Actions: each calls one service; None means render the page with the bound form.

    def do_verify(self):
        document = self.document()
        try:
            services.document_verify(by=self.request.user, document=document)
        except DomainError as exc:
            return self.refused(exc, "documents")
        return self.done(_("%(document)s verified.") % {"document": document.get_kind_display()})

    def do_correct(self):
        document = self.document()
        form = CorrectionForm(self.request.POST, prefix=f"doc{document.pk}")
        self.bound[f"correct-{document.pk}"] = form
        if not form.is_valid():
            return None
        try:
            services.document_request_correction(
                by=self.request.user, document=document, **form.cleaned_data
            )
        except DomainError as exc:
            form_error(form, exc)
            return None
        return self.done(
            _("Correction of the %(document)s requested; the applicant is told.")
            % {"document": document.get_kind_display()},
            "documents",
        )

    def do_score(self):
        stage = self.request.POST.get("stage")
        if stage not in Score.Stage.values:
            return HttpResponseBadRequest()
        form = self.score_form(stage, self.request.POST)
        self.bound[f"score-{stage}"] = form
        if not form.is_valid():
            return None
        try:
            services.score_record(
                by=self.request.user,
                application=self.application,
                stage=stage,
                points=form.points(),
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            form_error(form, exc)
            return None
        return self.done(_("Your score is recorded."), "scores")

    def do_correct_score(self):
        stage = self.request.POST.get("stage")
        if stage not in Score.Stage.values:
            return HttpResponseBadRequest()
        score = self.score_board[stage]["own"]
        if score is None:
            raise Http404
        form = ScoreCorrectionForm(
            self.request.POST, criteria=self.criteria, score=score, prefix=f"fix-{stage.lower()}"
        )
        self.bound[f"correct-score-{stage}"] = form
        if not form.is_valid():
            return None
        try:
            services.score_correct(
                by=self.request.user,
                score=score,
                points=form.points(),
                comment=form.cleaned_data["comment"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            form_error(form, exc)
            return None
        return self.done(_("Your score is corrected; its history is kept."), "scores")

    @cached_property
    def score_board(self) -> dict[str, dict]:
        return recruitment_selectors.score_board(
            user=self.request.user, application=self.application
        )

    def correction_form(self, stage: str):
        own = self.score_board[stage]["own"]
        bound = getattr(self, "bound", {}).get(f"correct-score-{stage}")
        if bound is not None:
            return bound
        if own is None or not self.criteria:
            return None
        return ScoreCorrectionForm(criteria=self.criteria, score=own, prefix=f"fix-{stage.lower()}")

    def do_invite(self):
        try:
            count = services.interviews_invite(
                by=self.request.user, applications=[self.application]
            )
        except DomainError as exc:
            return self.refused(exc, "interview")
        if not count:
            return self.refused(
                DomainError(_("Only a submitted application can be invited to interview.")),
                "interview",
            )
        return self.done(_("The applicant is invited to interview."), "interview")

    def do_book(self):
        form = SlotAssignForm(self.request.POST, slots=self.slots)
        self.bound["book"] = form
        if not form.is_valid():
            return None
        try:
            services.interview_book(
                by=self.request.user, application=self.application, slot=form.cleaned_data["slot"]
            )
        except DomainError as exc:
            form_error(form, exc)
            return None
        return self.done(_("Interview slot assigned; the applicant is told."), "interview")

    def do_decide(self):
        form = DecisionForm(self.request.POST)
        self.bound["decide"] = form
        if not form.is_valid():
            return None
        decision = form.cleaned_data["decision"]
        try:
            services.applications_decide(
                by=self.request.user,
                applications=[self.application],
                decision=decision,
                alternate_rank=form.cleaned_data["alternate_rank"],
            )
        except DomainError as exc:
            form_error(form, exc)
            return None
        return self.done(
            _(
                "Decision recorded: %(decision)s. The applicant is told when the results "
                "are released."
            )
            % {"decision": Status(decision).label},
            "decision",
        )

    def do_upgrade(self):
        form = UpgradeForm(self.request.POST)
        self.bound["upgrade"] = form
        if not form.is_valid():
            return None
        try:
            services.alternate_upgrade(
                by=self.request.user,
                application=self.application,
                reply_due=form.cleaned_data["reply_due"],
            )
        except DomainError as exc:
            form_error(form, exc)
            return None
        return self.done(
            _("The alternate is offered the place and must answer by %(date)s.")
            % {"date": form.cleaned_data["reply_due"].isoformat()},
            "decision",
        )

    def do_forward(self):
        try:
            services.applications_forward(by=self.request.user, applications=[self.application])
        except DomainError as exc:
            return self.refused(exc, "decision")
        return self.done(_("Forwarded to CLAIR."), "decision")

    # The page.

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        application = self.application
        bound = getattr(self, "bound", {})
        can_review = access.can(user, "review_application", application)
        can_decide = access.can(user, "decide_application", application)

        board = self.score_board
        screening = board[Score.Stage.SCREENING]
        interview = board[Score.Stage.INTERVIEW]
        # Scores can be corrected until the results are out (the service says so too).
        correctable = can_review and not application.results_visible
        booking = (
            InterviewBooking.objects.select_related("slot", "booked_by")
            .prefetch_related("slot__panel")
            .filter(application=application)
            .first()
        )
        panel_ids = {m.pk for m in booking.slot.panel.all()} if booking else set()
        reply = ReplyForm.objects.filter(application=application).first()
        open_for_review = application.status not in (Status.DRAFT, Status.WITHDRAWN)
        released = application.results_visible

        context.update(
            back=self.back,
            neighbours=self.neighbours(),
            places=recruitment_selectors.places_for(
                recruitment_selectors.places_remaining(
                    user=user, programme_year=application.programme_year
                ),
                application,
            ),
            application=application,
            education=list(application.education.all()),
            referees=list(application.referees.all()),
            documents=[
                {
                    "document": d,
                    "correction_form": bound.get(f"correct-{d.pk}")
                    or CorrectionForm(prefix=f"doc{d.pk}"),
                }
                for d in self.documents
            ],
            reasons=[reason_text(r) for r in application.eligibility_reasons],
            criteria=self.criteria,
            screening_board=screening,
            screening_spread=_spread(screening["scores"]),
            interview_board=interview,
            interview_spread=_spread(interview["scores"]),
            screening_correction_form=correctable and self.correction_form(Score.Stage.SCREENING),
            interview_correction_form=correctable and self.correction_form(Score.Stage.INTERVIEW),
            booking=booking,
            panel=booking.slot.panel.all() if booking else [],
            reply=reply,
            no_answer=bool(
                application.status == Status.SHORTLISTED
                and application.upgraded_at
                and application.reply_due
                and application.reply_due < timezone.localdate()
                and reply is None
            ),
            can_review=can_review,
            can_decide=can_decide,
            can_verify=can_review and open_for_review,
            can_score=bool(
                can_review and open_for_review and self.criteria and screening["own"] is None
            )
            or f"score-{Score.Stage.SCREENING}" in bound,
            can_score_interview=bool(
                can_review
                and booking
                and user.pk in panel_ids
                and self.criteria
                and interview["own"] is None
            )
            or f"score-{Score.Stage.INTERVIEW}" in bound,
            can_invite=can_review
            and application.status == Status.SUBMITTED
            and application.eligibility != Application.Eligibility.INELIGIBLE,
            can_book=(can_review and application.status == Status.INTERVIEW) or "book" in bound,
            can_decide_now=(can_decide and not released and application.status in DECIDABLE)
            or "decide" in bound,
            can_upgrade=(can_decide and released and application.status == Status.ALTERNATE)
            or "upgrade" in bound,
            can_forward=bool(
                can_decide
                and released
                and application.status == Status.SHORTLISTED
                and reply is not None
                and reply.answer == ReplyForm.Answer.ACCEPT
            ),
            score_form=bound.get(f"score-{Score.Stage.SCREENING}")
            or self.score_form(Score.Stage.SCREENING),
            interview_score_form=bound.get(f"score-{Score.Stage.INTERVIEW}")
            or self.score_form(Score.Stage.INTERVIEW),
            slot_form=bound.get("book") or SlotAssignForm(slots=self.slots),
            has_slots=self.slots.exists(),
            decision_form=bound.get("decide")
            or DecisionForm(initial={"decision": application.status}),
            upgrade_form=bound.get("upgrade") or UpgradeForm(),
        )
        return context


# --- interview slots, rubric, release -------------------------------------------------


class InterviewSlotListView(MissionPageMixin, TemplateView):
    """The mission's interview slots with their bookings; publish a new one."""

    template_name = "mofa/mission/interview_slots.html"

    def get_form(self):
        data = self.request.POST if self.request.method == "POST" else None
        return InterviewSlotForm(data, staff=self.staff)

    def get_day_form(self):
        data = self.request.POST if self.request.method == "POST" else None
        return InterviewDayForm(data, staff=self.staff)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        slots = []
        if self.programme_year is not None:
            slots = list(
                recruitment_selectors.interview_slot_list(
                    user=self.request.user, programme_year=self.programme_year
                ).prefetch_related(
                    Prefetch(
                        "bookings",
                        queryset=InterviewBooking.objects.select_related("application").order_by(
                            "booked_at"
                        ),
                    )
                )
            )
        for slot in slots:
            slot.free = max(slot.capacity - slot.booked, 0)
        # Open slots first, in time order; the full ones folded away below them.
        context["slots"] = [slot for slot in slots if slot.free]
        context["full_slots"] = [slot for slot in slots if not slot.free]
        context.setdefault("form", InterviewSlotForm(staff=self.staff))
        context.setdefault("day_form", InterviewDayForm(staff=self.staff))
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("form") == "day":
            return self.post_day(request)
        form = self.get_form()
        if self.year_valid(form):
            data = form.cleaned_data
            try:
                services.interview_slot_create(
                    by=request.user,
                    programme_year=self.programme_year,
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    location=data["location"],
                    online_url=data["online_url"],
                    capacity=data["capacity"],
                    panel=list(data["panel"]),
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Interview slot published."))
                return redirect("mofa:mission-interviews")
        return self.render_to_response(self.get_context_data(form=form))

    def post_day(self, request):
        form = self.get_day_form()
        if self.year_valid(form):
            data = form.cleaned_data
            try:
                slots = services.interview_slots_create_day(
                    by=request.user,
                    programme_year=self.programme_year,
                    day=data["day"],
                    first_start=data["first_start"],
                    last_end=data["last_end"],
                    length_minutes=data["length"],
                    location=data["location"],
                    online_url=data["online_url"],
                    capacity=data["capacity"],
                    panel=list(data["panel"]),
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s interview slot published.",
                        "%(count)s interview slots published.",
                        len(slots),
                    )
                    % {"count": len(slots)},
                )
                return redirect("mofa:mission-interviews")
        return self.render_to_response(self.get_context_data(day_form=form))


class RubricView(MissionPageMixin, TemplateView):
    """The mission's screening rubric for the year; its managers add criteria."""

    template_name = "mofa/mission/rubric.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        criteria = list(
            recruitment_selectors.rubric_criterion_list(
                user=user, programme_year=self.programme_year
            )
        )
        context["criteria"] = criteria
        context["total_weight"] = sum(c.weight for c in criteria)
        context["can_manage_rubric"] = access.allowed(user, "add", RubricCriterion)
        context.setdefault("form", RubricCriterionForm())
        return context

    def post(self, request, *args, **kwargs):
        access.require_allowed(request.user, "add", RubricCriterion)
        form = RubricCriterionForm(request.POST)
        if self.year_valid(form):
            try:
                criterion = services.rubric_criterion_add(
                    by=request.user,
                    mission=request.user.organisation,
                    programme_year=self.programme_year,
                    **form.cleaned_data,
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request, _("Criterion “%(name)s” added.") % {"name": criterion.name}
                )
                return redirect("mofa:mission-rubric")
        return self.render_to_response(self.get_context_data(form=form))


class ReleaseView(MissionPageMixin, TemplateView):
    """Decisions so far, what is still undecided, and the one release of the results."""

    template_name = "mofa/mission/release.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        totals = status_totals(user=user, programme_year=self.programme_year)
        release = recruitment_selectors.result_release_get(
            user=user, programme_year=self.programme_year
        )
        context["decisions"] = [
            {"status": status, "label": Status(status).label, "count": totals[status]}
            for status in Application.DECISIONS
        ]
        context["undecided"] = sum(totals[s] for s in UNDECIDED)
        context["to_tell"] = sum(totals[s] for s in Application.DECISIONS)
        context["release"] = release
        context["can_release"] = release is None and self.programme_year is not None
        context["alternate_requests"] = recruitment_selectors.alternate_request_list(
            user=self.request.user, open_only=True
        )
        context.setdefault("form", ReleaseForm())
        return context

    def post(self, request, *args, **kwargs):
        form = ReleaseForm(request.POST)
        if self.year_valid(form):
            try:
                count = services.results_release(
                    by=request.user, programme_year=self.programme_year
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Results released: %(count)s applicant is told.",
                        "Results released: %(count)s applicants are told.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect("mofa:mission-release")
        return self.render_to_response(self.get_context_data(form=form))


class StatusCountsView(MissionPageMixin, TemplateView):
    """The mission's applications by status; the workspace loads it with htmx."""

    def get_template_names(self):
        if self.request.htmx:
            return ["mofa/mission/_status_counts.html"]
        return ["mofa/mission/status_counts.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        totals = status_totals(user=self.request.user, programme_year=self.programme_year)
        context["total"] = totals["total"]
        context["counts"] = [
            {"status": status, "label": Status(status).label, "count": totals[status]}
            for status in recruitment_selectors.COUNTED
        ]
        return context


class PlacementListView(MissionPageMixin, TemplateView):
    """Where the mission's candidates were placed, and who withdrew (an alternate may be
    needed)."""

    template_name = "mofa/mission/placements.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["placements"] = placement_selectors.placement_list(
            user=self.request.user, programme_year=core_selectors.programme_year_current()
        )[:500]
        return context
