"""Programme costs for a fiscal year: national totals, a chart and table by prefecture,
and the organisations of one prefecture. Who sees which figures is the access rule's
(`selectors_costs`): CLAIR and MIC all, a contracting organisation its own; nobody sees
a person here."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from apps.core import access
from apps.core.errors import DomainError
from apps.core.models import Prefecture
from apps.core.views import AccessRequiredMixin
from apps.finance import jobs_costs, selectors_costs
from apps.finance.models import AllocationTaxRate, CostFigure

CHART_COLOURS = {"cost": "#1d3f72", "estimate": "#7fa650"}


def _fiscal_year(request) -> int:
    try:
        return int(request.GET.get("fy") or request.POST.get("fy") or 0) or (
            selectors_costs.current_fiscal_year()
        )
    except ValueError:
        return selectors_costs.current_fiscal_year()


def chart(rows: list[dict]) -> list[dict]:
    """Two bars per prefecture, cost and allocation tax estimate, on one scale."""
    top = max([max(row["cost"], row["estimate"]) for row in rows] or [0]) or 1
    return [
        {
            "prefecture": row["prefecture"],
            "cost": row["cost"],
            "estimate": row["estimate"],
            "cost_width": round(100 * row["cost"] / top, 2),
            "estimate_width": round(100 * row["estimate"] / top, 2),
        }
        for row in rows
    ]


class CostsView(AccessRequiredMixin, TemplateView):
    permission = ("view", CostFigure)
    template_name = "programme/costs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        fiscal_year = _fiscal_year(self.request)
        prefecture = Prefecture.objects.filter(code=self.request.GET.get("prefecture")).first()
        by_prefecture = selectors_costs.cost_by_prefecture(user=user, fiscal_year=fiscal_year)
        all_figures = access.allowed(user, "compare", CostFigure)
        context.update(
            fiscal_year=fiscal_year,
            fiscal_years=selectors_costs.cost_fiscal_years(user=user),
            national=selectors_costs.cost_national(user=user, fiscal_year=fiscal_year),
            by_prefecture=by_prefecture,
            chart=chart(by_prefecture),
            colours=CHART_COLOURS,
            prefecture=prefecture,
            all_figures=all_figures,
            can_set_parameters=access.allowed(user, "change", AllocationTaxRate),
            # Without them the estimate reads 0: say so rather than show a false deficit.
            has_parameters=AllocationTaxRate.objects.filter(
                programme_year__year=fiscal_year
            ).exists(),
        )
        # Who sees only their own figures sees them at once, as a table.
        if prefecture is not None or not all_figures:
            context["organisations"] = selectors_costs.cost_figure_list(
                user=user,
                fiscal_year=fiscal_year,
                prefecture=prefecture.code if prefecture else None,
            )
        return context


class CostsExportView(AccessRequiredMixin, View):
    permission = ("view", CostFigure)

    def post(self, request):
        fiscal_year = _fiscal_year(request)
        try:
            job = jobs_costs.costs_export_start(
                by=request.user,
                fiscal_year=fiscal_year,
                file_format=request.POST.get("format", "csv"),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(f"{reverse('costs:overview')}?fy={fiscal_year}")
        return redirect(job.get_absolute_url())
