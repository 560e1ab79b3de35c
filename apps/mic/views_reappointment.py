"""MIC's view of the re-appointment rounds: the numbers only, by prefecture, position,
contract year, answers and outcome; never a participant's name (DESIGN.md)."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from apps.core import disclosure
from apps.core.disclosure import Table
from apps.core.errors import DomainError
from apps.core.models import Kind
from apps.core.views import KindRequiredMixin
from apps.reappointment import jobs
from apps.reappointment import selectors as programme_selectors
from apps.reappointment.counts import counts_summary


class MicReappointmentMixin(KindRequiredMixin):
    kinds = (Kind.MIC,)

    def round(self):
        return programme_selectors.reappointment_round_get(
            user=self.request.user, pk=self.kwargs["pk"]
        )


class RoundListView(MicReappointmentMixin, TemplateView):
    template_name = "mic/reappointment_rounds.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rounds = list(
            programme_selectors.reappointment_round_list(user=self.request.user).annotate(
                cases_count=Count("cases")
            )
        )
        # MIC knows a round's participants only as this number; a round of one or two
        # would point at them.
        table = Table()
        for round_ in rounds:
            table.count(round_, "cases_count")
        table.protect()
        context["rounds"] = rounds
        context["explanation"] = disclosure.EXPLANATION
        return context


class RoundCountsView(MicReappointmentMixin, TemplateView):
    """One round in numbers: a table and a chart, and the export of the counts."""

    template_name = "mic/reappointment_round.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        round_ = self.round()
        context["round"] = round_
        user = self.request.user
        context["counts"] = counts_summary(
            programme_selectors.reappointment_counts(user=user, round=round_),
            protect=programme_selectors.reappointment_counts_only(user=user, round=round_),
        )
        context["explanation"] = disclosure.EXPLANATION
        return context


class RoundExportView(MicReappointmentMixin, View):
    """The counts as CSV or Excel, through the same job as CLAIR's export: for MIC it
    writes the counts, without names."""

    def post(self, request, pk):
        round_ = self.round()
        try:
            job = jobs.reappointment_export_start(
                by=request.user, round_=round_, file_format=request.POST.get("format", "csv")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("mic:reappointment-round", pk=round_.pk)
        return redirect(job.get_absolute_url())
