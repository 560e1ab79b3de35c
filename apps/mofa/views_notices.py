"""The mission's own wording of the notices it sends its applicants: the list of kinds,
the edit form with both languages side by side, its preview, and the reset."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from apps.core.errors import DomainError
from apps.core.forms import form_error
from apps.core.models import Kind
from apps.core.views import KindRequiredMixin
from apps.mofa import notices
from apps.mofa.forms_notices import NoticeTemplateForm
from apps.notifications.notice_texts import PLACEHOLDER_HELP


class NoticeListView(KindRequiredMixin, TemplateView):
    """Every notice the mission may word itself, and whether it has."""

    kinds = (Kind.MISSION,)
    template_name = "mofa/mission/notice_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notices"] = notices.notice_list(user=self.request.user)
        return context


class NoticeEditView(KindRequiredMixin, TemplateView):
    """One notice in English and Japanese; "Preview" shows it filled in with sample
    values, "Save" keeps it."""

    kinds = (Kind.MISSION,)
    template_name = "mofa/mission/notice_edit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        notice = notices.notice_get(user=self.request.user, kind=self.kwargs["kind"])
        context["notice"] = notice
        context["placeholders"] = [
            {"name": f"{{{name}}}", "help": PLACEHOLDER_HELP[name]} for name in notice.placeholders
        ]
        context.setdefault(
            "form",
            NoticeTemplateForm(initial={field: getattr(notice, field) for field in notices.FIELDS}),
        )
        return context

    def post(self, request, *args, **kwargs):
        kind = self.kwargs["kind"]
        notices.notice_get(user=request.user, kind=kind)  # 404 for a kind not offered
        form = NoticeTemplateForm(request.POST)
        preview = None
        if form.is_valid():
            try:
                if "preview" in request.POST:
                    preview = notices.notice_preview(
                        by=request.user, kind=kind, values=form.cleaned_data
                    )
                else:
                    notices.notice_template_save(
                        by=request.user, kind=kind, values=form.cleaned_data
                    )
                    messages.success(request, _("Your wording of this notice is saved."))
                    return redirect("mofa:mission-notice-edit", kind=kind)
            except DomainError as exc:
                form_error(form, exc)
        return self.render_to_response(self.get_context_data(form=form, preview=preview))


class NoticeResetView(KindRequiredMixin, View):
    """Back to the standard text."""

    kinds = (Kind.MISSION,)

    def post(self, request, kind):
        if notices.notice_template_reset(by=request.user, kind=kind):
            messages.success(request, _("The notice is back to the standard text."))
        return redirect("mofa:mission-notice-edit", kind=kind)
