"""MIC's cost parameters per programme year. Saving needs a preview of exactly these
values first: the page shows which organisations' figures move and by how much, and the
save button carries a signed copy of what was previewed."""

from django.contrib import messages
from django.core import signing
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, RedirectView

from apps.core.errors import DomainError
from apps.core.models import Country, Organisation, Prefecture, ProgrammeYear
from apps.core.selectors import programme_year_current
from apps.core.views import AccessRequiredMixin
from apps.finance import cost_figures
from apps.finance.models import AllocationTaxRate
from apps.mic import services_costs
from apps.mic.forms_costs import CostParametersForm

PREVIEW_SALT = "mic.cost-parameters.preview"


def _signature(params) -> dict:
    return {
        "scale": {str(k): v for k, v in sorted(params.scale.items())},
        "travel": dict(sorted(params.travel.items())),
        "tax": [params.tax.base_per_organisation, params.tax.per_participant],
    }


def change_rows(found) -> list[dict]:
    """The preview's rows with names, and the sums of what moves."""
    organisations = Organisation.objects.in_bulk({c.organisation_id for c in found})
    prefectures = Prefecture.objects.in_bulk(
        {o.prefecture_id for o in organisations.values() if o.prefecture_id}
    )
    rows = []
    for change in found:
        organisation = organisations.get(change.organisation_id)
        before, after = change.before or {}, change.after or {}

        def cost(values):
            return values.get("remuneration", 0) + values.get("travel", 0)

        rows.append(
            {
                "fiscal_year": change.fiscal_year,
                "organisation": organisation,
                "prefecture": prefectures.get(organisation.prefecture_id) if organisation else None,
                "remuneration": (before.get("remuneration", 0), after.get("remuneration", 0)),
                "travel": (before.get("travel", 0), after.get("travel", 0)),
                "estimate": (before.get("estimate", 0), after.get("estimate", 0)),
                "difference": (
                    before.get("estimate", 0) - cost(before),
                    after.get("estimate", 0) - cost(after),
                ),
            }
        )
    for row in rows:
        row["pairs"] = [row[name] for name in ("remuneration", "travel", "estimate", "difference")]
    rows.sort(
        key=lambda r: (
            r["fiscal_year"],
            r["prefecture"].code if r["prefecture"] else "",
            r["organisation"].name_en,
        )
    )
    return rows


class CostParametersRedirectView(AccessRequiredMixin, RedirectView):
    permission = ("change", AllocationTaxRate)

    def get_redirect_url(self, *args, **kwargs):
        year = programme_year_current() or ProgrammeYear.objects.order_by("-year").first()
        return reverse("mic:cost-parameters", kwargs={"year": year.year})


class CostParametersView(AccessRequiredMixin, FormView):
    permission = ("change", AllocationTaxRate)
    template_name = "mic/cost_parameters.html"
    form_class = CostParametersForm

    def dispatch(self, request, *args, **kwargs):
        self.year = get_object_or_404(ProgrammeYear, year=kwargs["year"])
        return super().dispatch(request, *args, **kwargs)

    def countries(self):
        return (
            Country.objects.filter(
                Q(missions__isnull=False) | Q(travelallowance__programme_year=self.year)
            )
            .distinct()
            .order_by("name_en")
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "countries": self.countries()}

    def get_initial(self):
        params = cost_figures.parameters_load(self.year.year)
        if params.tax is None:
            params.tax = services_costs.parameters_default().tax
        return CostParametersForm.initial_from(params)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["year"] = self.year
        context["years"] = ProgrammeYear.objects.order_by("-year")
        context["fiscal_years"] = services_costs.affected_fiscal_years(self.year)
        return context

    def form_valid(self, form):
        params = form.parameters()
        signature = _signature(params)
        if self.request.POST.get("action") == "save":
            try:
                previewed = signing.loads(self.request.POST.get("preview", ""), salt=PREVIEW_SALT)
            except signing.BadSignature:
                previewed = None
            if previewed == signature:
                try:
                    found = services_costs.cost_parameters_save(
                        by=self.request.user, year=self.year, params=params
                    )
                except DomainError as exc:
                    form.add_error(None, exc.message)
                    return self.form_invalid(form)
                messages.success(
                    self.request,
                    ngettext(
                        "Parameters saved; %(n)s figure was recomputed.",
                        "Parameters saved; %(n)s figures were recomputed.",
                        len(found),
                    )
                    % {"n": len(found)},
                )
                return redirect("mic:cost-parameters", year=self.year.year)
            messages.warning(
                self.request, _("The values changed since the preview; check their effect again.")
            )
        try:
            found = services_costs.cost_parameters_preview(
                by=self.request.user, year=self.year, params=params
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        rows = change_rows(found)
        totals = {
            name: sum(row[name][1] - row[name][0] for row in rows)
            for name in ("remuneration", "travel", "estimate", "difference")
        }
        return self.render_to_response(
            self.get_context_data(
                form=form,
                preview=True,
                changes=rows,
                change_totals=totals,
                preview_token=signing.dumps(signature, salt=PREVIEW_SALT),
            )
        )
