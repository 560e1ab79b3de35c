"""The cost figures as CSV or Excel, as a Celery job: one row per organisation the person
may see (`selectors_costs`: CLAIR and MIC all, an organisation its own), then the
national total. Names of organisations only; no person appears in cost figures."""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core import access
from apps.core import jobs as core_jobs
from apps.core.jobs import export_write
from apps.core.models import Job, User
from apps.finance import selectors_costs
from apps.finance.models import CostFigure


def costs_export_start(*, by: User, fiscal_year: int, file_format: str) -> Job:
    access.require_allowed(by, "view", CostFigure, _("You cannot export programme costs."))
    return core_jobs.export_start(
        by=by,
        file_format=file_format,
        handler="apps.finance.jobs_costs.costs_export",
        title=_("Programme costs, fiscal year %(year)s (%(format)s)")
        % {"year": fiscal_year, "format": file_format.upper()},
        params={"fiscal_year": fiscal_year},
    )


def header() -> list[str]:
    return [
        _("Fiscal year"),
        _("Prefecture"),
        _("Contracting organisation"),
        _("Participant-years"),
        _("Remuneration (yen)"),
        _("Travel (yen)"),
        _("Cost (yen)"),
        _("Allocation tax estimate (yen)"),
        _("Difference (yen)"),
    ]


def costs_export(job: Job) -> None:
    user = job.requested_by
    fiscal_year = int(job.params["fiscal_year"])
    file_format = job.params["format"]
    with translation.override(user.language):
        figures = list(selectors_costs.cost_figure_list(user=user, fiscal_year=fiscal_year))
        national = selectors_costs.cost_national(user=user, fiscal_year=fiscal_year)
        export_write(
            job,
            header=header(),
            items=figures,
            row=lambda figure: [
                fiscal_year,
                figure.prefecture.name if figure.prefecture else "",
                figure.organisation.name,
                float(figure.participant_years),
                figure.remuneration,
                figure.travel,
                figure.cost,
                figure.estimate,
                figure.difference,
            ],
            footer=[
                fiscal_year,
                "",
                _("Total"),
                float(national["participant_years"]),
                national["remuneration"],
                national["travel"],
                national["cost"],
                national["estimate"],
                national["difference"],
            ],
            filename=f"costs-fy{fiscal_year}.{file_format}",
            sheet_title=_("Programme costs"),
        )
        job.result_message = ngettext(
            "%(count)s organisation exported.", "%(count)s organisations exported.", len(figures)
        ) % {"count": len(figures)}
