"""Confidential counselling cases and the counselling subsidy."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.choice_labels import ChoiceLabels
from apps.core.loading import RowLoading
from apps.core.models import Organisation
from apps.core.uploads import private_path

# --- counselling -------------------------------------------------------------------------


class SupportCase(ChoiceLabels, RowLoading, models.Model):
    class Category(models.TextChoices):
        WORK = "WORK", _("Work")
        HEALTH = "HEALTH", _("Health")
        HOUSING = "HOUSING", _("Housing")
        HARASSMENT = "HARASSMENT", _("Harassment")
        MONEY = "MONEY", _("Money")
        OTHER = "OTHER", _("Other")

    class Status(models.TextChoices):
        NEW = "NEW", _("New")
        IN_PROGRESS = "IN_PROGRESS", _("In progress")
        WAITING = "WAITING", _("Waiting for the participant")
        CLOSED = "CLOSED", _("Closed")

    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="support_cases"
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    subject = models.CharField(_("subject"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default="NEW")
    anonymous_to_organisation = models.BooleanField(
        _("keep me anonymous to my organisation"), default=False
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("counsellor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # What the participant chose to share with their host prefecture's advisor.
    host_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    shared_summary = models.TextField(_("what is shared with the prefectural advisor"), blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "programme_supportcase"
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("support case")
        verbose_name_plural = _("support cases")
        indexes = [models.Index(fields=["status", "assigned_to"])]

    def __str__(self) -> str:
        return f"support case {self.pk}"


class SupportMessage(ChoiceLabels, RowLoading, models.Model):
    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    # Counsellors' notes to each other; never shown to the participant.
    internal = models.BooleanField(_("internal note"), default=False)
    attachment = models.FileField(upload_to=private_path, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "programme_supportmessage"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"message {self.pk} on case {self.case_id}"


class SupportReassignment(ChoiceLabels, RowLoading, models.Model):
    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="reassignments")
    from_counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "programme_supportreassignment"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"reassignment of case {self.case_id}"


class SubsidyClaim(ChoiceLabels, RowLoading, models.Model):
    """A claim for 50 % of counselling costs, capped per fiscal year (April to March)."""

    class State(models.TextChoices):
        SUBMITTED = "SUBMITTED", _("Submitted to the organisation")
        FORWARDED = "FORWARDED", _("Checked and forwarded to CLAIR")
        APPROVED = "APPROVED", _("Approved by CLAIR")
        RETURNED = "RETURNED", _("Returned for correction")

    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="subsidy_claims"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="subsidy_claims"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    session_date = models.DateField(_("date of counselling"))
    cost = models.PositiveIntegerField(_("cost of counselling (yen)"))
    amount = models.PositiveIntegerField(_("subsidy claimed (yen)"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="SUBMITTED")
    note = models.TextField(_("note"), blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    forwarded_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "programme_subsidyclaim"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("subsidy claim")
        verbose_name_plural = _("subsidy claims")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__lte=models.F("cost")), name="subsidy_not_above_cost"
            ),
            models.CheckConstraint(
                condition=~Q(state="RETURNED") | ~Q(return_reason=""),
                name="returned_claim_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"claim {self.pk}"


class SubsidyReceipt(ChoiceLabels, RowLoading, models.Model):
    claim = models.ForeignKey(SubsidyClaim, on_delete=models.CASCADE, related_name="receipts")
    file = models.FileField(upload_to=private_path)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "programme_subsidyreceipt"

    def __str__(self) -> str:
        return self.name
