from django import forms
from django.utils.translation import gettext_lazy as _

from apps.finance import costs
from apps.finance.cost_figures import Parameters
from apps.reappointment.models import MAX_YEARS


class CostParametersForm(forms.Form):
    """One programme year's parameters: a field per contract year, per country and the
    two allocation tax amounts, all in whole yen."""

    base_per_organisation = forms.IntegerField(
        label=_("Base amount per organisation (yen)"), min_value=0
    )
    per_participant = forms.IntegerField(label=_("Amount per participant (yen)"), min_value=0)

    def __init__(self, *args, countries, **kwargs):
        super().__init__(*args, **kwargs)
        for contract_year in range(1, MAX_YEARS + 1):
            self.fields[f"scale_{contract_year}"] = forms.IntegerField(
                label=_("Contract year %(n)s (yen a year)") % {"n": contract_year}, min_value=0
            )
        self.countries = list(countries)
        for country in self.countries:
            self.fields[f"travel_{country.code}"] = forms.IntegerField(
                label=country.name, min_value=0, required=False
            )

    @staticmethod
    def initial_from(params: Parameters) -> dict:
        initial = {f"scale_{year}": yen for year, yen in params.scale.items()}
        initial |= {f"travel_{code}": yen for code, yen in params.travel.items()}
        if params.tax is not None:
            initial["base_per_organisation"] = params.tax.base_per_organisation
            initial["per_participant"] = params.tax.per_participant
        return initial

    def scale_fields(self):
        return [self[f"scale_{year}"] for year in range(1, MAX_YEARS + 1)]

    def travel_fields(self):
        return [self[f"travel_{country.code}"] for country in self.countries]

    def parameters(self) -> Parameters:
        data = self.cleaned_data
        return Parameters(
            scale={year: data[f"scale_{year}"] for year in range(1, MAX_YEARS + 1)},
            travel={
                country.code: data[f"travel_{country.code}"]
                for country in self.countries
                if data.get(f"travel_{country.code}") is not None
            },
            tax=costs.AllocationTax(data["base_per_organisation"], data["per_participant"]),
        )
