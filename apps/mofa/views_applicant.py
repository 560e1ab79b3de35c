"""The applicant's pages (kind APPLICANT) and the referee's upload page (no account).

Thin views: fetch through a selector, parse with a form, call one service, redirect.
A service's DomainError is put on the form with form_error and the page is shown again,
with everything the person typed, answering 400. The application is always fetched
through apps.recruitment.selectors, so another applicant's id answers 404.
"""

from datetime import date
from functools import cached_property

from django.contrib import messages
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from apps.core import selectors as core_selectors
from apps.core.errors import DomainError
from apps.core.forms import form_error
from apps.core.models import Kind, ProgrammeYear
from apps.core.views import KindRequiredMixin
from apps.mofa import forms_applicant as forms
from apps.mofa.next_step import next_step
from apps.notifications import selectors as notification_selectors
from apps.placement import selectors as placement_selectors
from apps.placement.models import Placement
from apps.recruitment import selectors as recruitment_selectors
from apps.recruitment import services
from apps.recruitment.models import Application, ApplicationDocument
from apps.recruitment.places import placement_label

Status = Application.Status
DocKind = ApplicationDocument.Kind
Verification = ApplicationDocument.Verification

INVALID = 400  # a refused form is shown again with this status

# The application's steps, in order: (slug, title). Each is a page at
# application/<pk>/<slug>/ named "applicant-<slug>".
STEPS = [
    ("personal", gettext_lazy("Personal details")),
    ("mission", gettext_lazy("Embassy or consulate and position")),
    ("education", gettext_lazy("Education")),
    ("qualifications", gettext_lazy("Japanese, teaching and driving")),
    ("placement", gettext_lazy("Placement preferences")),
    ("history", gettext_lazy("The JET Programme and Japan")),
    ("statement", gettext_lazy("Statement of purpose")),
    ("documents", gettext_lazy("Documents")),
    ("referees", gettext_lazy("Referees")),
    ("review", gettext_lazy("Review and submit")),
]
APPLICATION_DOCUMENTS = [
    DocKind.TRANSCRIPT,
    DocKind.GRADUATION_PROOF,
    DocKind.CITIZENSHIP_PROOF,
    DocKind.CERTIFICATE,
    DocKind.MEDICAL,
]


def window_open(year: ProgrammeYear | None) -> bool:
    now = timezone.now()
    return bool(year and year.applications_open <= now < year.application_deadline)


def workspace_context(*, user, programme_year: ProgrammeYear | None) -> dict:
    """What templates/mofa/applicant_workspace.html needs beyond WorkspaceView's context."""
    application = recruitment_selectors.application_own(user=user, programme_year=programme_year)
    # Visible to the candidate only once the organisation has accepted it.
    placement = placement_selectors.placement_own(user=user)
    return {
        "application": application,
        "application_status": application
        and application.status_for_applicant(placed=_placed_by(placement, application)),
        "placement": placement,
        "next_step": next_step(application=application, programme_year=programme_year),
    }


def _placed_by(placement: Placement | None, application: Application) -> bool:
    """Whether `placement` (the one the candidate sees) places this application."""
    return bool(
        placement
        and placement.application_id == application.pk
        and placement.status in Placement.ACTIVE
    )


class ApplicantView(KindRequiredMixin, View):
    kinds = (Kind.APPLICANT,)
    template_name: str

    def render_page(self, status: int = 200, **context):
        return render(self.request, self.template_name, self.get_context(**context), status=status)

    def get_context(self, **context):
        return context


class StartView(ApplicantView):
    """Choose the embassy or consulate and the position, and open a draft."""

    template_name = "mofa/applicant/start.html"

    @cached_property
    def programme_year(self) -> ProgrammeYear | None:
        return core_selectors.programme_year_current()

    def get_context(self, **context):
        return {
            "programme_year": self.programme_year,
            "window_open": window_open(self.programme_year),
            "mission_groups": forms.mission_groups(),
            **context,
        }

    def get(self, request):
        own = recruitment_selectors.application_own(
            user=request.user, programme_year=self.programme_year
        )
        if own is not None:
            return redirect("mofa:applicant-status", pk=own.pk)
        return self.render_page(form=forms.MissionForm())

    def post(self, request):
        form = forms.MissionForm(request.POST)
        if self.programme_year is None:
            form.add_error(None, _("The next application round has not been announced yet."))
        elif form.is_valid():
            try:
                application = services.application_start(
                    by=request.user, programme_year=self.programme_year, **form.cleaned_data
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Your application %(number)s is open. It is saved as a draft at every step.")
                    % {"number": application.number},
                )
                return redirect("mofa:applicant-personal", pk=application.pk)
        return self.render_page(status=INVALID, form=form)


class ApplicationView(ApplicantView):
    """A page about one of the applicant's own applications."""

    @cached_property
    def application(self) -> Application:
        return recruitment_selectors.application_get(user=self.request.user, pk=self.kwargs["pk"])

    @property
    def is_draft(self) -> bool:
        return self.application.status == Status.DRAFT

    def get_context(self, **context):
        return {
            "application": self.application,
            "status_text": self.application.status_for_applicant(),
            "is_draft": self.is_draft,
            **context,
        }


class StepView(ApplicationView):
    """One step of the application; every step shows the step navigation."""

    step: str

    def get_context(self, **context):
        context = super().get_context(**context)
        slugs = [slug for slug, _title in STEPS]
        index = slugs.index(self.step)
        context["steps"] = [
            {
                "title": title,
                "url": reverse(f"mofa:applicant-{slug}", kwargs={"pk": self.application.pk}),
                "current": slug == self.step,
            }
            for slug, title in STEPS
        ]
        context["step_title"] = STEPS[index][1]
        context["step_number"] = index + 1
        context["step_count"] = len(STEPS)
        return context

    def next_url(self) -> str:
        slugs = [slug for slug, _title in STEPS]
        following = slugs[min(slugs.index(self.step) + 1, len(slugs) - 1)]
        return reverse(f"mofa:applicant-{following}", kwargs={"pk": self.application.pk})


def _display(application: Application, name: str):
    value = getattr(application, name)
    field = Application._meta.get_field(name)
    if name.startswith("preference_"):
        return placement_label(value) if value else ""
    if field.choices:
        return getattr(application, f"get_{name}_display")()
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    return value


def application_facts(application: Application, names) -> list[tuple[str, object]]:
    """(label, value) of application fields, for a step that can no longer change."""
    return [
        (capfirst(Application._meta.get_field(name).verbose_name), _display(application, name))
        for name in names
    ]


class FieldsStepView(StepView):
    """A step that edits fields of the application through application_update."""

    template_name = "mofa/applicant/step_fields.html"
    form_class: type
    # Extra words under the step's title.
    intro = ""

    def editable_form_class(self):
        """The form while the step may change; after submission, nothing."""
        return self.form_class if self.is_draft else None

    def get_context(self, **context):
        context = super().get_context(**context)
        editable = self.editable_form_class()
        shown = set(editable.Meta.fields) if editable else set()
        context["facts"] = application_facts(
            self.application, [n for n in self.form_class.Meta.fields if n not in shown]
        )
        context["intro"] = self.intro
        return context

    def get(self, request, pk):
        form_class = self.editable_form_class()
        form = None
        if form_class is not None:
            form = form_class(initial=model_to_dict(self.application, form_class.Meta.fields))
        return self.render_page(form=form)

    def post(self, request, pk):
        # After submission the service refuses what may no longer change.
        form_class = self.editable_form_class() or self.form_class
        form = form_class(request.POST)
        if form.is_valid():
            try:
                services.application_update(
                    by=request.user, application=self.application, **form.cleaned_data
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(self.next_url())
        if self.editable_form_class() is None:
            return self.render_page(status=INVALID, form=None, refused=form)
        return self.render_page(status=INVALID, form=form)


class PersonalStepView(FieldsStepView):
    step = "personal"
    form_class = forms.PersonalForm

    def editable_form_class(self):
        return forms.PersonalForm if self.is_draft else forms.ContactForm


class QualificationsStepView(FieldsStepView):
    step = "qualifications"
    form_class = forms.QualificationsForm


class PlacementStepView(FieldsStepView):
    step = "placement"
    form_class = forms.PlacementForm
    intro = gettext_lazy(
        "Three ranked wishes, each a prefecture or a designated city. They are wishes: "
        "the placement depends on the positions that contracting organisations request."
    )


class HistoryStepView(FieldsStepView):
    step = "history"
    form_class = forms.HistoryForm


class StatementStepView(FieldsStepView):
    step = "statement"
    form_class = forms.StatementForm

    def get_context(self, **context):
        context = super().get_context(**context)
        context["intro"] = _(
            "Why you want to take part and what you would bring. At most %(limit)s characters."
        ) % {"limit": services.STATEMENT_MAX_CHARS}
        context["statement_length"] = len(self.application.statement_of_purpose)
        context["statement_limit"] = services.STATEMENT_MAX_CHARS
        return context


class MissionStepView(StepView):
    step = "mission"
    template_name = "mofa/applicant/step_mission.html"

    def get_context(self, **context):
        return super().get_context(mission_groups=forms.mission_groups(), **context)

    def get(self, request, pk):
        form = None
        if self.is_draft:
            form = forms.MissionForm(
                initial={
                    "mission": self.application.mission_id,
                    "position": self.application.position,
                }
            )
        return self.render_page(form=form)

    def post(self, request, pk):
        form = forms.MissionForm(request.POST)
        if form.is_valid():
            try:
                services.application_change_mission(
                    by=request.user, application=self.application, **form.cleaned_data
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(self.next_url())
        return self.render_page(status=INVALID, form=form)


class EducationStepView(StepView):
    step = "education"
    template_name = "mofa/applicant/step_education.html"

    def get_context(self, **context):
        return super().get_context(education=list(self.application.education.all()), **context)

    def get(self, request, pk):
        return self.render_page(form=forms.EducationForm() if self.is_draft else None)

    def post(self, request, pk):
        form = forms.EducationForm(request.POST)
        if form.is_valid():
            try:
                services.education_add(
                    by=request.user, application=self.application, **form.cleaned_data
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Added."))
                return redirect("mofa:applicant-education", pk=pk)
        return self.render_page(status=INVALID, form=form)


class EducationRemoveView(ApplicationView):
    def post(self, request, pk, education_pk):
        education = get_object_or_404(self.application.education, pk=education_pk)
        try:
            services.education_remove(by=request.user, education=education)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Removed."))
        return redirect("mofa:applicant-education", pk=pk)


class DocumentSectionsMixin:
    """One section per document kind: its current files and, when the applicant may
    upload one, a form of its own (a refused upload keeps its section's form)."""

    def upload_open(self, kind: str, correction_requested: bool) -> bool:
        application = self.application
        if kind in ApplicationDocument.FOLLOW_UP:
            return application.results_visible and application.status in (
                Status.SHORTLISTED,
                Status.FORWARDED,
            )
        return application.status == Status.DRAFT or correction_requested

    def document_sections(self, kinds, bound=None) -> list[dict]:
        documents = recruitment_selectors.document_list(
            user=self.request.user, application=self.application
        )
        current = [d for d in documents if d.is_current]
        sections = []
        for kind in kinds:
            docs = [d for d in current if d.kind == kind]
            correction = any(d.verification == Verification.CORRECTION_REQUESTED for d in docs)
            form = None
            if self.upload_open(kind, correction):
                if bound is not None and bound.data.get("kind") == kind:
                    form = bound
                else:
                    form = forms.DocumentForm(
                        initial={"kind": kind}, auto_id=f"id_{kind.lower()}_%s"
                    )
            sections.append(
                {
                    "kind": kind,
                    "label": DocKind(kind).label,
                    "file_label": _("%(document)s: a PDF, JPEG or PNG file of at most 10 MB")
                    % {"document": DocKind(kind).label},
                    "anchor": f"doc-{kind.lower()}",
                    "required": kind in ApplicationDocument.REQUIRED,
                    "documents": docs,
                    "correction_requested": correction,
                    "form": form,
                }
            )
        return sections

    def refused_page(self, kinds, refused):
        """The page again: the refused form in its section, or above them all when no
        section takes uploads of its kind now."""
        sections = self.document_sections(kinds, bound=refused)
        placed = any(section["form"] is refused for section in sections)
        return self.render_page(
            status=INVALID, sections=sections, refused=None if placed else refused
        )

    def upload(self, kinds, success_url: str):
        """(redirect, None) when stored; (None, the refused form) otherwise."""
        request = self.request
        kind = request.POST.get("kind", "")
        prefix = kind.lower() if kind in kinds else "upload"
        form = forms.DocumentForm(request.POST, request.FILES, auto_id=f"id_{prefix}_%s")
        if form.is_valid():
            if form.cleaned_data["kind"] not in kinds:
                form.add_error(None, _("Choose which document this is."))
            else:
                try:
                    document = services.document_upload(
                        by=request.user,
                        application=self.application,
                        kind=form.cleaned_data["kind"],
                        uploaded=form.cleaned_data["file"],
                    )
                except DomainError as exc:
                    form_error(form, exc)
                else:
                    messages.success(
                        request,
                        _("%(document)s uploaded: %(name)s.")
                        % {"document": document.get_kind_display(), "name": document.original_name},
                    )
                    return redirect(success_url), None
        return None, form


class DocumentsStepView(DocumentSectionsMixin, StepView):
    step = "documents"
    template_name = "mofa/applicant/step_documents.html"

    def get(self, request, pk):
        return self.render_page(sections=self.document_sections(APPLICATION_DOCUMENTS))

    def post(self, request, pk):
        done, refused = self.upload(
            APPLICATION_DOCUMENTS, reverse("mofa:applicant-documents", kwargs={"pk": pk})
        )
        if done:
            return done
        return self.refused_page(APPLICATION_DOCUMENTS, refused)


class RefereesStepView(StepView):
    step = "referees"
    template_name = "mofa/applicant/step_referees.html"

    def get_context(self, **context):
        referees = list(self.application.referees.all())
        context.setdefault(
            "form", forms.RefereeForm() if self.is_draft and len(referees) < 2 else None
        )
        return super().get_context(referees=referees, **context)

    def get(self, request, pk):
        return self.render_page()

    def post(self, request, pk):
        form = forms.RefereeForm(request.POST)
        if form.is_valid():
            try:
                referee = services.referee_add(
                    by=request.user, application=self.application, **form.cleaned_data
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s has been sent a private link to upload their letter.")
                    % {"name": referee.name},
                )
                return redirect("mofa:applicant-referees", pk=pk)
        return self.render_page(status=INVALID, form=form)


class ReviewStepView(StepView):
    step = "review"
    template_name = "mofa/applicant/step_review.html"

    def get_context(self, **context):
        missing = services.missing_parts(self.application) if self.is_draft else []
        return super().get_context(missing=missing, **context)

    def get(self, request, pk):
        return self.render_page(form=forms.ConfirmForm())

    def post(self, request, pk):
        form = forms.ConfirmForm(request.POST)
        if form.is_valid():
            try:
                services.application_submit(by=request.user, application=self.application)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Your application was submitted."))
                return redirect("mofa:applicant-status", pk=pk)
        return self.render_page(status=INVALID, form=form)


class StatusView(ApplicationView):
    """Where the application stands, and every notice about it. Eligibility reasons are
    the mission's working notes and are not shown here."""

    template_name = "mofa/applicant/status.html"

    def get(self, request, pk):
        application = self.application
        notices = notification_selectors.notification_list(user=request.user).filter(
            context__number=application.number
        )
        return self.render_page(
            status_text=application.status_for_applicant(
                placed=_placed_by(placement_selectors.placement_own(user=request.user), application)
            ),
            notices=notices[:50],
            booking=_booking(application),
            offer_open=_offer_open(application),
            show_reply=application.results_visible
            and application.status in (Status.SHORTLISTED, Status.FORWARDED, Status.DECLINED),
            can_withdraw=application.withdrawable,
            next_step=next_step(application=application, programme_year=application.programme_year),
            # Their own uploads, each opened through the permission-checked view.
            documents=[
                d
                for d in recruitment_selectors.document_list(
                    user=request.user, application=application
                )
                if d.is_current
            ],
        )


def _booking(application: Application):
    """The applicant's interview booking, if any."""
    return getattr(application, "interview", None)


def _offer_open(application: Application) -> bool:
    return (
        application.status == Status.SHORTLISTED
        and application.results_visible
        and getattr(application, "reply", None) is None
    )


class WithdrawView(ApplicationView):
    template_name = "mofa/applicant/withdraw.html"

    def get(self, request, pk):
        return self.render_page(form=forms.ConfirmForm())

    def post(self, request, pk):
        form = forms.ConfirmForm(request.POST)
        if form.is_valid():
            try:
                services.application_withdraw(by=request.user, application=self.application)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Your application has been withdrawn."))
                return redirect("mofa:applicant-status", pk=pk)
        return self.render_page(status=INVALID, form=form)


class InterviewView(ApplicationView):
    template_name = "mofa/applicant/interview.html"

    def get_context(self, **context):
        application = self.application
        invited = application.status == Status.INTERVIEW
        booking = _booking(application)
        slots, unavailable = [], []
        if invited:
            now = timezone.now()
            for slot in recruitment_selectors.interview_slot_list(
                user=self.request.user, programme_year=application.programme_year
            ):
                slot.free = max(slot.capacity - slot.booked, 0)
                slot.bookable = slot.free > 0 and slot.starts_at > now
                # Bookable times (and one's own) first; full and past ones folded away.
                mine = booking is not None and booking.slot_id == slot.pk
                (slots if slot.bookable or mine else unavailable).append(slot)
        return super().get_context(
            invited=invited, slots=slots, unavailable=unavailable, booking=booking, **context
        )

    def get(self, request, pk):
        return self.render_page(form=forms.BookingForm())

    def post(self, request, pk):
        form = forms.BookingForm(request.POST)
        if form.is_valid():
            slot = recruitment_selectors.interview_slot_get(
                user=request.user, pk=form.cleaned_data["slot"]
            )
            try:
                services.interview_book(by=request.user, application=self.application, slot=slot)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Your interview is booked."))
                return redirect("mofa:applicant-interview", pk=pk)
        return self.render_page(status=INVALID, form=form)


class ReplyView(DocumentSectionsMixin, ApplicationView):
    """The reply form to an offer, then the follow-up documents."""

    template_name = "mofa/applicant/reply.html"

    def get_context(self, **context):
        application = self.application
        offer_open = _offer_open(application)
        reply = getattr(application, "reply", None) if application.results_visible else None
        context.setdefault("form", forms.OfferReplyForm() if offer_open else None)
        context.setdefault("sections", self.document_sections(ApplicationDocument.FOLLOW_UP))
        return super().get_context(
            offer_open=offer_open,
            reply=reply,
            reply_due=application.reply_due or application.programme_year.reply_deadline,
            follow_up_open=self.upload_open(ApplicationDocument.FOLLOW_UP[0], False),
            **context,
        )

    def get(self, request, pk):
        return self.render_page()

    def post(self, request, pk):
        form = forms.OfferReplyForm(request.POST)
        if form.is_valid():
            try:
                reply = services.reply_submit(
                    by=request.user, application=self.application, **form.cleaned_data
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                if reply.answer == reply.Answer.ACCEPT:
                    messages.success(request, _("Thank you: you have accepted the offer."))
                else:
                    messages.success(request, _("You have declined the offer."))
                return redirect("mofa:applicant-reply", pk=pk)
        return self.render_page(status=INVALID, form=form)


class FollowUpUploadView(ReplyView):
    def get(self, request, pk):
        return redirect("mofa:applicant-reply", pk=pk)

    def post(self, request, pk):
        done, refused = self.upload(
            ApplicationDocument.FOLLOW_UP, reverse("mofa:applicant-reply", kwargs={"pk": pk})
        )
        if done:
            return done
        return self.refused_page(ApplicationDocument.FOLLOW_UP, refused)


# --- the referee ------------------------------------------------------------------------


class RefereeUploadView(View):
    """A referee's private single-use page: no account, the token is the key. A used or
    unknown token answers 404 with a page that says so."""

    template_name = "mofa/applicant/referee_upload.html"

    def invalid(self):
        return render(self.request, "mofa/applicant/referee_invalid.html", status=404)

    def page(self, referee, form, status=200):
        response = render(
            self.request,
            self.template_name,
            {
                "referee": referee,
                "applicant_name": referee.application.full_name
                or referee.application.applicant.get_full_name(),
                "form": form,
            },
            status=status,
        )
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response

    def get(self, request, token):
        referee = services.referee_for_token(token)
        if referee is None:
            return self.invalid()
        return self.page(referee, forms.RefereeLetterForm())

    def post(self, request, token):
        referee = services.referee_for_token(token)
        if referee is None:
            return self.invalid()
        form = forms.RefereeLetterForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.referee_letter_submit(token=token, uploaded=form.cleaned_data["file"])
            except DomainError as exc:
                if services.referee_for_token(token) is None:
                    return self.invalid()
                form_error(form, exc)
            else:
                return redirect("mofa:referee-done")
        return self.page(referee, form, status=INVALID)


def referee_done(request):
    return render(request, "mofa/applicant/referee_done.html")
