"""Pages of confidential counselling (issue 7, support).

Every case comes through `selectors.support_case_get`: a case the user may not see is a
404, the same as one that does not exist, for pages and attachments alike. The writes,
the participant's and the counsellors', are `apps.support.services`, which ask the
access rule; these views stay thin.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from apps.core import access, limits
from apps.core.errors import DomainError
from apps.core.forms import form_error
from apps.core.models import User
from apps.core.views import AccessRequiredMixin
from apps.support import selectors, services
from apps.support.models import SupportCase

# --- forms -------------------------------------------------------------------------------


class SupportCaseForm(forms.Form):
    category = forms.ChoiceField(
        label=_lazy("What is it about?"), choices=SupportCase.Category.choices
    )
    subject = forms.CharField(label=_lazy("Subject"), max_length=200)
    message = forms.CharField(
        label=_lazy("Your message"),
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachment = forms.FileField(
        label=_lazy("Attachment (optional)"),
        required=False,
        help_text=_lazy("A PDF, JPEG or PNG file, up to 10 MB."),
    )
    anonymous_to_organisation = forms.BooleanField(
        label=_lazy("Keep me anonymous to my organisation"),
        required=False,
        help_text=_lazy(
            "Your counsellor will not name you to your contracting organisation. Your "
            "organisation never sees your case in jetadmin either way."
        ),
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_lazy("Write a message"),
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachment = forms.FileField(
        label=_lazy("Attachment (optional)"),
        required=False,
        help_text=_lazy("A PDF, JPEG or PNG file, up to 10 MB."),
    )
    internal = forms.BooleanField(
        label=_lazy("Internal note (counsellors only, never shown to the participant)"),
        required=False,
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_lazy("Status"),
        choices=[c for c in SupportCase.Status.choices if c[0] != SupportCase.Status.NEW],
    )


class ReassignForm(forms.Form):
    to = forms.ModelChoiceField(label=_lazy("Counsellor"), queryset=User.objects.none())
    reason = forms.CharField(
        label=_lazy("Reason for the reassignment"),
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        counsellors = selectors.counsellor_list()
        if exclude:
            counsellors = counsellors.exclude(pk=exclude)
        self.fields["to"].queryset = counsellors
        self.fields["to"].label_from_instance = lambda u: u.get_full_name() or u.username


class ShareForm(forms.Form):
    shared_summary = forms.CharField(
        label=_lazy("Summary to share with the prefectural advisor"),
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_lazy(
            "The advisor reads this summary, the category and the status, nothing else: "
            "not your messages and not your counsellor's notes."
        ),
    )


# --- lists -------------------------------------------------------------------------------


class SupportListView(LoginRequiredMixin, TemplateView):
    """A participant their requests; a counsellor the queue and their cases; a
    prefectural advisor the summaries shared with them; anyone else nothing at all."""

    template_name = "support/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        q = (self.request.GET.get("q") or "").strip()[:100]
        context["q"] = q
        context["can_open"] = access.allowed(user, "add", SupportCase)
        context["can_counsel"] = access.allowed(user, "counsel", SupportCase)
        context["reads_shared"] = access.allowed(user, "read_shared", SupportCase)
        if context["can_counsel"]:
            context["queue"] = selectors.support_case_list(user=user, scope="queue", q=q)
            context["mine"] = selectors.support_case_list(user=user, scope="mine", q=q)
            context["counts"] = selectors.support_counts(user=user)
        else:
            context["cases"] = selectors.support_case_list(user=user, q=q)
        return context


class SupportCreateView(AccessRequiredMixin, FormView):
    permission = ("add", SupportCase)
    template_name = "support/form.html"
    form_class = SupportCaseForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            case = services.support_case_open(
                by=self.request.user,
                category=data["category"],
                subject=data["subject"],
                message=data["message"],
                attachment=data.get("attachment"),
                anonymous_to_organisation=data["anonymous_to_organisation"],
            )
        except DomainError as exc:
            form_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your request is sent. A CLAIR counsellor will answer you here."),
        )
        return redirect("support:case-detail", pk=case.pk)


# --- one case ----------------------------------------------------------------------------


class CaseMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.case = selectors.support_case_get(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def back(self):
        return redirect("support:case-detail", pk=self.case.pk)


class SupportDetailView(CaseMixin, TemplateView):
    def get_template_names(self):
        if selectors.sees_thread(self.request.user, self.case):
            return ["support/detail.html"]
        return ["support/shared.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        case = self.case
        context["case"] = case
        if not selectors.sees_thread(user, case):
            return context
        counsellor = access.can(user, "counsel", case)
        own = access.can(user, "write", case)
        context["can_counsel"] = counsellor
        context["own"] = own
        context["thread"] = selectors.support_message_list(user=user, case=case)
        context["assigned_to_me"] = counsellor and access.can(user, "reply", case)
        if counsellor:
            context["reassignments"] = case.reassignments.select_related(
                "from_counsellor", "to_counsellor", "by"
            )
            context["status_form"] = kwargs.get("status_form") or StatusForm(
                initial={"status": case.status}
            )
            context["reassign_form"] = kwargs.get("reassign_form") or ReassignForm(
                exclude=case.assigned_to_id
            )
        form = kwargs.get("message_form") or MessageForm()
        if not counsellor:
            form.fields.pop("internal", None)
        context["message_form"] = form
        if own:
            context["host_organisation"] = selectors.host_organisation_for(user)
            context["share_form"] = kwargs.get("share_form") or ShareForm(
                initial={"shared_summary": case.shared_summary}
            )
        return context


class MessageView(CaseMixin, View):
    def post(self, request, pk):
        form = MessageForm(request.POST, request.FILES)
        if not selectors.sees_thread(request.user, self.case):
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.support_message_add(
                    by=request.user,
                    case=self.case,
                    body=data["body"],
                    internal=data["internal"],
                    attachment=data.get("attachment"),
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                if not access.allowed(request.user, "counsel", SupportCase):
                    done = _("Your message is sent.")
                elif data["internal"]:
                    done = _("The note is added.")
                else:
                    done = _("Your reply is sent.")
                messages.success(request, done)
                return self.back()
        return _rerender(request, self.case, message_form=form)


class TakeView(CaseMixin, View):
    def post(self, request, pk):
        try:
            services.support_case_take(by=request.user, case=self.case)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The case is yours."))
        return self.back()


class StatusView(CaseMixin, View):
    def post(self, request, pk):
        form = StatusForm(request.POST)
        if form.is_valid():
            try:
                services.support_status_set(
                    by=request.user, case=self.case, status=form.cleaned_data["status"]
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("The status is changed."))
                return self.back()
        return _rerender(request, self.case, status_form=form)


class ReassignView(CaseMixin, View):
    def post(self, request, pk):
        form = ReassignForm(request.POST, exclude=self.case.assigned_to_id)
        if form.is_valid():
            try:
                services.support_case_reassign(
                    by=request.user,
                    case=self.case,
                    to=form.cleaned_data["to"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("The case is reassigned."))
                # The case may no longer be visible to the one who handed it on.
                return redirect("support:list")
        return _rerender(request, self.case, reassign_form=form)


class ShareView(CaseMixin, View):
    def post(self, request, pk):
        if request.POST.get("stop"):
            try:
                services.support_case_unshare(by=request.user, case=self.case)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("The case is no longer shared."))
            return self.back()
        form = ShareForm(request.POST)
        if form.is_valid():
            try:
                services.support_case_share(
                    by=request.user, case=self.case, summary=form.cleaned_data["shared_summary"]
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("The summary is shared with the prefectural advisor."))
                return self.back()
        return _rerender(request, self.case, share_form=form)


def _rerender(request, case, **forms_):
    view = SupportDetailView()
    view.setup(request, pk=case.pk)
    view.case = case
    context = view.get_context_data(**forms_)
    response = view.render_to_response(context)
    response.status_code = 400
    return response


def attachment_download(request, pk, message_pk):
    """An attachment of a message the user may read; otherwise 404."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    message = selectors.support_message_get(user=request.user, case_pk=pk, pk=message_pk)
    if not message.attachment:
        raise Http404
    return FileResponse(
        message.attachment.open("rb"),
        as_attachment=True,
        filename=message.attachment_name or "attachment",
    )
