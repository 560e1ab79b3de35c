"""MIC's cost parameters per programme year and the computed figures per organisation.

The remuneration scale is `SalaryStep`; the travel allowance per country and the local
allocation tax parameters live here. `CostFigure` holds one organisation's figures for one
fiscal year, recomputed whenever a contract or a parameter changes
(`apps.finance.cost_figures`), so pages and exports read stored numbers and a change
touches only the rows it affects.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.loading import RowLoading
from apps.core.models import Country, Organisation, Prefecture, ProgrammeYear


class TravelAllowance(RowLoading, models.Model):
    """The return airfare estimate for participants from one country (MIC)."""

    programme_year = models.ForeignKey(
        ProgrammeYear, verbose_name=_("programme year"), on_delete=models.PROTECT
    )
    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.PROTECT)
    return_airfare_yen = models.PositiveIntegerField(_("return airfare estimate (yen)"))

    history = HistoricalRecords(table_name="programme_historicaltravelallowance")

    class Meta:
        db_table = "programme_travelallowance"
        ordering = ["programme_year", "country__name_en"]
        verbose_name = _("travel allowance")
        verbose_name_plural = _("travel allowances")
        constraints = [
            models.UniqueConstraint(
                fields=["programme_year", "country"], name="one_travel_allowance_per_country"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_year} {self.country_id}: {self.return_airfare_yen}"


class AllocationTaxRate(RowLoading, models.Model):
    """The local allocation tax parameters of a programme year (jet-facts.md: FY2025
    ¥1.2M per organisation plus ¥4.82M per participant)."""

    programme_year = models.OneToOneField(
        ProgrammeYear, verbose_name=_("programme year"), on_delete=models.PROTECT
    )
    base_per_organisation = models.PositiveIntegerField(_("base amount per organisation (yen)"))
    per_participant = models.PositiveIntegerField(_("amount per participant (yen)"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(table_name="programme_historicalallocationtaxrate")

    class Meta:
        db_table = "programme_allocationtaxrate"
        ordering = ["programme_year"]
        verbose_name = _("allocation tax parameters")
        verbose_name_plural = _("allocation tax parameters")

    def __str__(self) -> str:
        return f"{self.programme_year}: {self.base_per_organisation} + {self.per_participant}"


class CostFigure(RowLoading, models.Model):
    """One contracting organisation's costs in one Japanese fiscal year (April to March)."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="cost_figures"
    )
    # Kept here so prefecture and national sums are one GROUP BY.
    prefecture = models.ForeignKey(
        Prefecture, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    remuneration = models.BigIntegerField(_("remuneration (yen)"), default=0)
    travel = models.BigIntegerField(_("travel (yen)"), default=0)
    participant_years = models.DecimalField(
        _("participant-years"), max_digits=9, decimal_places=4, default=Decimal("0")
    )
    estimate = models.BigIntegerField(_("allocation tax estimate (yen)"), default=0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        db_table = "programme_costfigure"
        ordering = ["fiscal_year", "prefecture_id", "organisation__name_en"]
        verbose_name = _("cost figure")
        verbose_name_plural = _("cost figures")
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "organisation"], name="one_cost_figure_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2000), name="cost_fiscal_year_plausible"
            ),
        ]
        indexes = [models.Index(fields=["fiscal_year", "prefecture"])]

    def __str__(self) -> str:
        return f"FY{self.fiscal_year} {self.organisation_id}"

    @property
    def cost(self) -> int:
        return self.remuneration + self.travel

    @property
    def difference(self) -> int:
        return self.estimate - self.cost
