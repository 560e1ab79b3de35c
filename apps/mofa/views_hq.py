"""MOFA headquarters pages: read-only views over every mission's recruitment."""

from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from apps.core import disclosure
from apps.core import selectors as core_selectors
from apps.core.disclosure import shown
from apps.core.models import Kind
from apps.core.views import KindRequiredMixin
from apps.recruitment import selectors
from apps.recruitment.counts import application_counts_protected
from apps.recruitment.models import Application

Status = Application.Status

# The chart stacks the statuses in four groups; colours keep 3:1 contrast on white.
CHART_GROUPS = [
    ("review", _("In review"), (Status.SUBMITTED, Status.INTERVIEW), "#5b7db1"),
    ("holding", _("Shortlisted or forwarded"), (Status.SHORTLISTED, Status.FORWARDED), "#1d3f72"),
    ("alternate", _("Alternate"), (Status.ALTERNATE,), "#8a5a00"),
    (
        "closed",
        _("Not selected, declined or withdrawn"),
        (Status.NOT_SELECTED, Status.DECLINED, Status.WITHDRAWN),
        "#6b7280",
    ),
]
PLACES_COLOUR = "#b00d26"


def chart_rows(rows: list[dict]) -> None:
    """Add to each count row its stacked segments and the places marker, in percent of
    one scale shared by every row, so rows compare with each other. A hidden count draws
    nothing. Strings, so the SVG gets "12.5" in every language."""
    scale = max((max(row["places"] or 0, shown(row["total"])) for row in rows), default=0) or 1
    for row in rows:
        x = 0.0
        segments = []
        for key, label, _statuses, colour in CHART_GROUPS:
            width = shown(row[key]) * 100 / scale
            segments.append(
                {
                    "key": key,
                    "label": label,
                    "count": row[key],
                    "colour": colour,
                    "x": f"{x:.2f}",
                    "width": f"{width:.2f}",
                }
            )
            x += width
        row["segments"] = segments
        row["places_x"] = f"{min((row['places'] or 0) * 100 / scale, 99.4):.2f}"


class OverviewView(KindRequiredMixin, TemplateView):
    """Per country and position, applications by status against MIC's places: counts
    only, the small cells hidden (`application_counts_protected`)."""

    kinds = (Kind.MOFA,)
    template_name = "mofa/hq/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = core_selectors.programme_year_current()
        counts = application_counts_protected(
            selectors.application_counts(user=self.request.user, programme_year=year)
            if year
            else [],
            groups={key: statuses for key, _label, statuses, _colour in CHART_GROUPS},
        )
        rows, totals = counts["rows"], counts["totals"]
        chart_rows(rows)
        for row in (*rows, totals):
            row["cells"] = [row[s] for s in selectors.COUNTED]
        context["programme_year"] = year
        context["rows"] = rows
        context["statuses"] = [Status(s).label for s in selectors.COUNTED]
        context["groups"] = [
            {"label": label, "colour": colour} for _key, label, _s, colour in CHART_GROUPS
        ]
        context["places_colour"] = PLACES_COLOUR
        context["totals"] = totals
        context["explanation"] = disclosure.EXPLANATION
        return context
