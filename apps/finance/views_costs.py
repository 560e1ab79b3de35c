"""Programme costs for a fiscal year: national totals, a chart and table by prefecture,
and the organisations of one prefecture. CLAIR and MIC see all; a contracting
organisation its own figures; nobody sees a person here."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from apps.core.errors import DomainError
from apps.core.models import Kind, Prefecture
from apps.core.views import KindRequiredMixin
from apps.finance import jobs_costs, selectors_costs
from apps.finance.models import AllocationTaxRate

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


class CostsView(KindRequiredMixin, TemplateView):
    kinds = selectors_costs.COST_KINDS
    template_name = "programme/costs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        fiscal_year = _fiscal_year(self.request)
        prefecture = Prefecture.objects.filter(code=self.request.GET.get("prefecture")).first()
        by_prefecture = selectors_costs.cost_by_prefecture(user=user, fiscal_year=fiscal_year)
        context.update(
            fiscal_year=fiscal_year,
            fiscal_years=selectors_costs.cost_fiscal_years(user=user),
            national=selectors_costs.cost_national(user=user, fiscal_year=fiscal_year),
            by_prefecture=by_prefecture,
            chart=chart(by_prefecture),
            colours=CHART_COLOURS,
            prefecture=prefecture,
            all_figures=user.kind in selectors_costs.ALL_FIGURES_KINDS,
            is_mic=user.kind == Kind.MIC,
            # Without them the estimate reads 0: say so rather than show a false deficit.
            has_parameters=AllocationTaxRate.objects.filter(
                programme_year__year=fiscal_year
            ).exists(),
        )
        if prefecture is not None or user.kind == Kind.CONTRACTING:
            context["organisations"] = selectors_costs.cost_figure_list(
                user=user,
                fiscal_year=fiscal_year,
                prefecture=prefecture.code if prefecture else None,
            )
        return context


class CostsExportView(KindRequiredMixin, View):
    kinds = selectors_costs.COST_KINDS

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
