"""The re-appointment round: each organisation and each participant say whether the
appointment continues; CLAIR coordinates and confirms (reference/jet-facts.md)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from apps.core.choice_labels import ChoiceLabels
from apps.core.loading import RowLoading
from apps.core.models import Organisation, ProgrammeYear
from apps.placement.models import Contract, Placement

# Nobody beyond five years in all; years four and five only on recorded grounds.
MAX_YEARS = 5
GROUNDS_FROM_YEAR = 4


class ReappointmentRound(ChoiceLabels, RowLoading, models.Model):
    class State(models.TextChoices):
        OPEN = "OPEN", _("Open")
        CONFIRMED = "CONFIRMED", _("Confirmed by CLAIR")

    # The programme year whose terms the round fills (the next year's contracts).
    programme_year = models.OneToOneField(
        ProgrammeYear, verbose_name=_("programme year"), on_delete=models.PROTECT
    )
    organisation_deadline = models.DateTimeField(_("organisations answer by"))
    participant_deadline = models.DateTimeField(_("participants answer by"))
    confirmation_deadline = models.DateTimeField(_("CLAIR confirms by"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="OPEN")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Set when a CLAIR manager confirmed before the last answer deadline had passed.
    early_reason = models.TextField(_("reason for confirming before the deadline"), blank=True)

    class Meta:
        db_table = "programme_reappointmentround"
        ordering = ["-programme_year__year"]
        verbose_name = _("re-appointment round")
        verbose_name_plural = _("re-appointment rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(participant_deadline__gte=models.F("organisation_deadline"))
                & Q(confirmation_deadline__gte=models.F("participant_deadline")),
                name="round_deadlines_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"re-appointment {self.programme_year_id}"


class ReappointmentCase(ChoiceLabels, RowLoading, models.Model):
    """One participant in a round: both answers, CLAIR's reopenings, the outcome."""

    class OrganisationAnswer(models.TextChoices):
        NONE = "", _("Not answered")
        OFFER = "OFFER", _("Offers re-appointment")
        NO_OFFER = "NO_OFFER", _("Does not offer re-appointment")

    class ParticipantAnswer(models.TextChoices):
        NONE = "", _("Not answered")
        CONTINUE = "CONTINUE", _("Wishes to continue")
        LEAVE = "LEAVE", _("Will leave")

    class Outcome(models.TextChoices):
        PENDING = "", _("Not confirmed yet")
        CONTINUES = "CONTINUES", _("Re-appointed")
        LEAVES = "LEAVES", _("Leaving the programme")

    round = models.ForeignKey(ReappointmentRound, on_delete=models.CASCADE, related_name="cases")
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="+")
    contract = models.ForeignKey(
        Contract, verbose_name=_("current contract"), on_delete=models.PROTECT, related_name="+"
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reappointment_cases"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="reappointment_cases"
    )
    contract_year = models.PositiveSmallIntegerField(_("contract year"))
    # Years on the programme counting this one (earlier JET years included).
    years_so_far = models.PositiveSmallIntegerField(_("years on the programme"))
    may_continue = models.BooleanField(_("may continue"))
    organisation_answer = models.CharField(
        _("organisation's answer"), max_length=10, choices=OrganisationAnswer.choices, blank=True
    )
    organisation_reason = models.TextField(_("organisation's reason"), blank=True)
    grounds = models.TextField(_("grounds for a fourth or fifth year"), blank=True)
    organisation_answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation_answered_at = models.DateTimeField(null=True, blank=True)
    participant_answer = models.CharField(
        _("participant's answer"), max_length=10, choices=ParticipantAnswer.choices, blank=True
    )
    participant_reason = models.TextField(_("participant's reason"), blank=True)
    participant_answered_at = models.DateTimeField(null=True, blank=True)
    reopened_until = models.DateTimeField(_("reopened until"), null=True, blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    next_contract = models.OneToOneField(
        Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(table_name="programme_historicalreappointmentcase")

    class Meta:
        db_table = "programme_reappointmentcase"
        ordering = ["round", "organisation", "participant"]
        verbose_name = _("re-appointment case")
        verbose_name_plural = _("re-appointment cases")
        constraints = [
            models.UniqueConstraint(fields=["round", "placement"], name="one_case_per_placement"),
            models.CheckConstraint(
                condition=~Q(organisation_answer="NO_OFFER") | ~Q(organisation_reason=""),
                name="no_offer_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="CONTINUES")
                | (Q(organisation_answer="OFFER") & Q(participant_answer="CONTINUE")),
                name="continues_only_when_both_agree",
            ),
            models.CheckConstraint(
                condition=Q(years_so_far__lte=MAX_YEARS), name="case_within_five_years"
            ),
        ]
        indexes = [models.Index(fields=["round", "organisation"])]

    def __str__(self) -> str:
        return f"case {self.pk} ({self.participant_id})"

    @property
    def next_year_needs_grounds(self) -> bool:
        return self.years_so_far + 1 >= GROUNDS_FROM_YEAR


class ReappointmentCaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(ReappointmentCase, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        db_table = "programme_reappointmentcaseuserobjectpermission"


class ReappointmentCaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(ReappointmentCase, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        db_table = "programme_reappointmentcasegroupobjectpermission"
