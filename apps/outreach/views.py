"""Promotion and alumni pages (issue 7).

Promotional activities: MOFA headquarters and CLAIR read every one, a mission its own;
missions and CLAIR record and change their own. The list shows the counts by country and
month for a fiscal year (April to March), as a table and a small chart.

Alumni: a mission sees the participants of its applications who agreed to alumni
contact (and have not withdrawn), and exports them as a job; a participant gives or
withdraws their consent. Who may do what is the access policy; reads go through
apps/outreach/selectors.py, writes through apps/outreach/services.py.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from apps.core import access
from apps.core.errors import DomainError
from apps.core.forms import form_error
from apps.core.views import AccessRequiredMixin
from apps.outreach import jobs as jobs_outreach
from apps.outreach import selectors, services
from apps.outreach.forms import AlumniConsentForm, PromotionForm
from apps.outreach.models import AlumniConsent, PromotionActivity

CHART_HEIGHT = 120


def _fiscal_year(request) -> int:
    value = request.GET.get("fy", "")
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return selectors.fiscal_year_of(timezone.localdate())


def chart(table: dict) -> dict:
    """Bars for the month totals of activities, scaled to the tallest."""
    highest = max((count for count, _reach in table["totals"]), default=0) or 1
    bars = []
    for i, (month, (count, reach)) in enumerate(zip(table["months"], table["totals"], strict=True)):
        height = round(CHART_HEIGHT * count / highest)
        bars.append(
            {
                "x": 10 + i * 40,
                "y": CHART_HEIGHT + 10 - height,
                "height": height,
                "month": month,
                "count": count,
                "reach": reach,
            }
        )
    return {"bars": bars, "width": 10 + 40 * len(bars), "height": CHART_HEIGHT + 40}


class PromotionListView(AccessRequiredMixin, ListView):
    permission = ("view", PromotionActivity)
    template_name = "outreach/promotion_list.html"
    context_object_name = "promotions"
    paginate_by = 50

    def get_queryset(self):
        self.fiscal_year = _fiscal_year(self.request)
        self.start, self.end = selectors.fiscal_year_bounds(self.fiscal_year)
        kind = self.request.GET.get("kind")
        self.kind = kind if kind in PromotionActivity.Kind.values else ""
        return selectors.promotion_list(
            user=self.request.user,
            starts_from=self.start,
            starts_before=self.end,
            kind=self.kind or None,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        counts = selectors.promotion_counts(
            user=user, starts_from=self.start, starts_before=self.end
        )
        table = selectors.promotion_counts_table(
            counts, selectors.months_between(self.start, self.end)
        )
        this_year = selectors.fiscal_year_of(timezone.localdate())
        context.update(
            fiscal_year=self.fiscal_year,
            fiscal_years=list(range(this_year + 1, this_year - 5, -1)),
            kinds=PromotionActivity.Kind.choices,
            selected_kind=self.kind,
            table=table,
            chart=chart(table),
            can_record=access.allowed(user, "add", PromotionActivity),
        )
        return context


class PromotionCreateView(AccessRequiredMixin, FormView):
    permission = ("add", PromotionActivity)
    template_name = "outreach/promotion_form.html"
    form_class = PromotionForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organisation"] = self.request.user.organisation
        return kwargs

    def form_valid(self, form):
        try:
            promotion = services.promotion_create(by=self.request.user, **form.values())
        except DomainError as exc:
            form_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The activity is recorded."))
        return redirect("outreach:promotion-detail", pk=promotion.pk)


class PromotionDetailView(AccessRequiredMixin, TemplateView):
    permission = ("view", PromotionActivity)
    template_name = "outreach/promotion_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        promotion = selectors.promotion_get(user=self.request.user, pk=kwargs["pk"])
        context["promotion"] = promotion
        context["sessions"] = promotion.information_sessions.all().order_by("starts_at")
        context["can_edit"] = selectors.promotion_can_edit(self.request.user, promotion)
        return context


class PromotionEditView(AccessRequiredMixin, FormView):
    """An activity the user sees (else 404) and recorded (else 403)."""

    permission = ("view", PromotionActivity)
    template_name = "outreach/promotion_form.html"
    form_class = PromotionForm

    def dispatch(self, request, *args, **kwargs):
        # Whoever may not read activities at all is refused by the mixin, as before.
        if access.allowed(request.user, *self.permission):
            self.promotion = selectors.promotion_get(user=request.user, pk=kwargs["pk"])
            access.require(request.user, "change", self.promotion)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organisation"] = self.promotion.organisation
        return kwargs

    def get_initial(self):
        return PromotionForm.initial_from(self.promotion)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["promotion"] = self.promotion
        return context

    def form_valid(self, form):
        try:
            services.promotion_update(
                by=self.request.user, promotion=self.promotion, **form.values()
            )
        except DomainError as exc:
            form_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The activity is saved."))
        return redirect("outreach:promotion-detail", pk=self.promotion.pk)


# --- alumni ----------------------------------------------------------------------------------


def _with_prefecture(consents):
    for consent in consents:
        consent.prefecture = jobs_outreach.consent_prefecture(consent)
    return consents


class AlumniListView(AccessRequiredMixin, TemplateView):
    """The mission's alumni who agreed to contact, for its welcome-back reception and
    alumni chapter: the roll it also exports."""

    permission = ("export", AlumniConsent)
    template_name = "outreach/alumni_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["consents"] = _with_prefecture(list(selectors.alumni_list(user=self.request.user)))
        return context


class AlumniExportView(AccessRequiredMixin, View):
    permission = ("export", AlumniConsent)

    def post(self, request):
        try:
            job = jobs_outreach.alumni_export_start(
                by=request.user, file_format=request.POST.get("format", "csv")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("outreach:alumni-list")
        return redirect(job.get_absolute_url())


class AlumniMineView(AccessRequiredMixin, FormView):
    """The participant's own consent: give it (when leaving), see it, withdraw it."""

    permission = ("add", AlumniConsent)
    template_name = "outreach/alumni_mine.html"
    form_class = AlumniConsentForm

    def get_initial(self):
        return {"contact_email": self.request.user.email}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        consent = selectors.alumni_consent_current(user=user)
        context["consent"] = _with_prefecture([consent])[0] if consent else None
        context["eligibility"] = selectors.alumni_eligibility(user)
        context["withdrawn"] = selectors.alumni_list(user=user).filter(withdrawn_at__isnull=False)
        return context

    def form_valid(self, form):
        try:
            services.alumni_consent_give(
                by=self.request.user,
                contact_email=form.cleaned_data["contact_email"],
                contact_phone=form.cleaned_data["contact_phone"],
            )
        except DomainError as exc:
            form_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Thank you. Your embassy or consulate can now contact you about alumni events."),
        )
        return redirect("outreach:alumni-mine")


class AlumniWithdrawView(AccessRequiredMixin, View):
    permission = ("withdraw", AlumniConsent)

    def post(self, request, pk):
        consent = selectors.alumni_get(user=request.user, pk=pk)
        try:
            services.alumni_consent_withdraw(by=request.user, consent=consent)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Your consent is withdrawn: your embassy or consulate no longer sees you."),
            )
        return redirect("outreach:alumni-mine")
