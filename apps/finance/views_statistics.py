"""The programme statistics page (issue 8): counts only, never a person, for whom the
access rule shows them: MIC, MOFA headquarters, CLAIR, MEXT (the education side) and
missions (their own country's rows). Everyone else gets 403. The figures are
`statistics`, the same as the API's."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from apps.core import disclosure
from apps.core.errors import DomainError
from apps.core.models import Country
from apps.core.views import AccessRequiredMixin
from apps.finance import jobs_statistics, statistics
from apps.finance import selectors_statistics as selectors


class StatisticsView(AccessRequiredMixin, TemplateView):
    """One programme year's figures as charts and tables, or every year in one table."""

    permission = ("statistics", Country)
    template_name = "statistics/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        scope = selectors.statistics_scope(user)
        if scope is None:
            # A mission without a country has no rows of its own to see.
            raise PermissionDenied
        year = statistics.year_asked(self.request.GET.get("year"))
        context["scope"] = scope
        context["country"] = (
            Country.objects.filter(pk=scope.country).first() if scope.country else None
        )
        context["years"] = selectors.programme_years()
        context["programme_year"] = year
        context["all_years_value"] = statistics.ALL_YEARS
        context["explanation"] = disclosure.EXPLANATION
        if year is None:
            context["across"] = statistics.across_years(user=user)
        else:
            context["figures"] = statistics.year_statistics(user=user, year=year)
        return context


class StatisticsExportView(AccessRequiredMixin, View):
    """The tables of the year shown (or the year-by-year table) as CSV or Excel."""

    permission = ("statistics", Country)

    def post(self, request):
        year = request.POST.get("year", "")
        try:
            job = jobs_statistics.statistics_export_start(
                by=request.user, year=year, file_format=request.POST.get("format", "csv")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(f"{reverse('statistics:overview')}?{urlencode({'year': year})}")
        return redirect(job.get_absolute_url())
