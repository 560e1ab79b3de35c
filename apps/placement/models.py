"""Positions, placements and contracts: the second half of a participant's path.

The database holds the invariants two people acting at once could break (one active
placement per candidate and per position, one number per contract version, a signed
contract's terms); `apps.placement.services` holds the transitions.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from apps.core.bilingual import country_name
from apps.core.choice_labels import ChoiceLabels
from apps.core.loading import RowLoading
from apps.core.models import Organisation, Prefecture, ProgrammeYear
from apps.core.reads import reads
from apps.recruitment.choices import DrivingLicence, JapaneseLevel, LocationPreference, Position
from apps.recruitment.models import Application


class SalaryStep(ChoiceLabels, RowLoading, models.Model):
    """Annual remuneration by contract year, set for a programme year (jet-facts.md)."""

    programme_year = models.ForeignKey(ProgrammeYear, on_delete=models.PROTECT)
    contract_year = models.PositiveSmallIntegerField(_("contract year"))
    annual_yen = models.PositiveIntegerField(_("annual remuneration (yen)"))

    class Meta:
        db_table = "programme_salarystep"
        ordering = ["programme_year", "contract_year"]
        verbose_name = _("salary step")
        verbose_name_plural = _("salary scale")
        constraints = [
            models.UniqueConstraint(
                fields=["programme_year", "contract_year"], name="one_salary_per_contract_year"
            ),
            models.CheckConstraint(
                condition=Q(contract_year__gte=1) & Q(contract_year__lte=5),
                name="salary_contract_year_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_year} year {self.contract_year}: {self.annual_yen}"


class PositionRequest(ChoiceLabels, RowLoading, models.Model):
    """One seat a contracting organisation asks for; MIC approves or returns it."""

    class State(models.TextChoices):
        REQUESTED = "REQUESTED", _("Requested")
        APPROVED = "APPROVED", _("Approved")
        RETURNED = "RETURNED", _("Returned")

    class SchoolLevel(models.TextChoices):
        ELEMENTARY = "ELEMENTARY", _("Elementary")
        JUNIOR_HIGH = "JUNIOR_HIGH", _("Junior high")
        SENIOR_HIGH = "SENIOR_HIGH", _("Senior high")
        SPECIAL_NEEDS = "SPECIAL_NEEDS", _("Special needs")
        MIXED = "MIXED", _("Mixed")

    class Housing(models.TextChoices):
        PROVIDED = "PROVIDED", _("Provided")
        ASSISTED = "ASSISTED", _("Assisted")
        NONE = "NONE", _("None")

    programme_year = models.ForeignKey(ProgrammeYear, on_delete=models.PROTECT)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("contracting organisation"),
        on_delete=models.PROTECT,
        related_name="positions",
    )
    type = models.CharField(_("type"), max_length=3, choices=Position.choices)
    school_level = models.CharField(
        _("school level"), max_length=15, choices=SchoolLevel.choices, blank=True
    )
    base = models.CharField(_("base school or office"), max_length=200)
    # The contract's Japanese column names the place of work in Japanese; an empty value
    # leaves the English name there rather than a machine transliteration.
    base_ja = models.CharField(_("base school or office (Japanese)"), max_length=200, blank=True)
    prefecture = models.ForeignKey(Prefecture, on_delete=models.PROTECT)
    city = models.CharField(_("designated city"), max_length=30, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100)
    municipality_ja = models.CharField(_("municipality (Japanese)"), max_length=100, blank=True)
    location = models.CharField(
        _("location"), max_length=10, choices=LocationPreference.choices[:3]
    )
    driving_licence_required = models.CharField(
        _("driving licence needed"), max_length=10, choices=DrivingLicence.choices[1:], blank=True
    )
    min_japanese_level = models.CharField(
        _("minimum Japanese level"), max_length=4, choices=JapaneseLevel.choices, blank=True
    )
    cir_language = models.CharField(
        _("working language or country sought"), max_length=100, blank=True
    )
    housing = models.CharField(_("housing"), max_length=10, choices=Housing.choices)
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.REQUESTED
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(table_name="programme_historicalpositionrequest")

    class Meta:
        db_table = "programme_positionrequest"
        ordering = ["prefecture", "organisation", "pk"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="RETURNED") | ~Q(return_reason=""),
                name="returned_position_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(type="ALT") | Q(school_level=""),
                name="school_level_only_for_alt",
            ),
        ]
        indexes = [models.Index(fields=["programme_year", "state", "prefecture"])]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.type} {self.base}"

    @property
    def cir_language_display(self) -> str:
        """The working language or country sought; a country by its name, not its code."""
        return country_name(self.cir_language)


class PositionRequestUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(PositionRequest, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        db_table = "programme_positionrequestuserobjectpermission"


class PositionRequestGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(PositionRequest, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        db_table = "programme_positionrequestgroupobjectpermission"


class Placement(ChoiceLabels, RowLoading, models.Model):
    """A forwarded candidate put in an approved position, through its accept steps."""

    class Status(models.TextChoices):
        CONFIRMED = "CONFIRMED", _("Confirmed by CLAIR")
        ACCEPTED_BY_ORGANISATION = "ACCEPTED_BY_ORG", _("Accepted by the organisation")
        ACCEPTED = "ACCEPTED", _("Accepted by the candidate")
        DECLINED_BY_ORGANISATION = "DECLINED_BY_ORG", _("Declined by the organisation")
        WITHDRAWN = "WITHDRAWN", _("Withdrawn by the candidate")

    # A placement in one of these holds its candidate and its position.
    ACTIVE = (Status.CONFIRMED, Status.ACCEPTED_BY_ORGANISATION, Status.ACCEPTED)

    class ArrivalGroup(models.TextChoices):
        EARLY = "EARLY", _("April (early) departure")
        A = "A", _("Group A")
        B = "B", _("Group B")
        LATE = "LATE", _("Later departure")

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="placements"
    )
    position = models.ForeignKey(
        PositionRequest, on_delete=models.PROTECT, related_name="placements"
    )
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.CONFIRMED
    )
    arrival_group = models.CharField(
        _("arrival group"), max_length=5, choices=ArrivalGroup.choices, default=ArrivalGroup.A
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)
    decline_reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(table_name="programme_historicalplacement")

    class Meta:
        db_table = "programme_placement"
        ordering = ["-confirmed_at", "-pk"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        # The lists' order: a page of CLAIR's or MOFA's 20,000 placements is read from
        # the index, not sorted whole (38 ms to sort, bench/load.py's scaled world).
        indexes = [models.Index(fields=["-confirmed_at", "-id"], name="placement_newest_first")]
        constraints = [
            # Two staff placing at once cannot give a candidate two positions or a
            # position two participants: the database refuses the second.
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status__in=["CONFIRMED", "ACCEPTED_BY_ORG", "ACCEPTED"]),
                name="one_active_placement_per_candidate",
            ),
            models.UniqueConstraint(
                fields=["position"],
                condition=Q(status__in=["CONFIRMED", "ACCEPTED_BY_ORG", "ACCEPTED"]),
                name="one_active_placement_per_position",
            ),
            models.CheckConstraint(
                condition=~Q(status="DECLINED_BY_ORG") | ~Q(decline_reason=""),
                name="organisation_decline_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} → {self.position_id} ({self.status})"


class PlacementUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Placement, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        db_table = "programme_placementuserobjectpermission"


class PlacementGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Placement, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        db_table = "programme_placementgroupobjectpermission"


class Contract(ChoiceLabels, RowLoading, models.Model):
    """One version of a contract of employment. A signed version is never edited: a
    change is a new version that both sides sign again."""

    class Status(models.TextChoices):
        DRAFT = "DRAFT", _("Draft")
        ISSUED = "ISSUED", _("Issued by the organisation")
        SIGNED = "SIGNED", _("Signed by the participant")
        IN_FORCE = "IN_FORCE", _("Countersigned, in force")
        SUPERSEDED = "SUPERSEDED", _("Superseded by a new version")
        CANCELLED = "CANCELLED", _("Cancelled (the candidate withdrew)")

    # Once the participant has signed, these are the agreement itself.
    TERMS = (
        "placement_id",
        "version",
        "contract_year",
        "start_date",
        "end_date",
        "remuneration",
        "hours_per_week",
        "paid_leave_days",
        "conditions_en",
        "conditions_ja",
        "participant_signature",
        "participant_signed_at",
        "participant_address",
    )
    SIGNED_STATES = (Status.SIGNED, Status.IN_FORCE, Status.SUPERSEDED)

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="contracts")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    contract_year = models.PositiveSmallIntegerField(_("contract year"), default=1)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    remuneration = models.PositiveIntegerField(_("annual remuneration (yen)"))
    hours_per_week = models.DecimalField(
        _("working hours a week"), max_digits=4, decimal_places=1, default=35
    )
    paid_leave_days = models.PositiveSmallIntegerField(_("paid leave days a year"), default=20)
    conditions_en = models.TextField(_("the organisation's conditions (English)"), blank=True)
    conditions_ja = models.TextField(_("the organisation's conditions (Japanese)"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    participant_signature = models.CharField(_("typed full name"), max_length=200, blank=True)
    participant_signed_at = models.DateTimeField(null=True, blank=True)
    participant_address = models.GenericIPAddressField(null=True, blank=True)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    countersigned_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "programme_contract"
        ordering = ["placement", "-version"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.UniqueConstraint(fields=["placement", "version"], name="one_contract_version"),
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="contract_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(contract_year__gte=1) & Q(contract_year__lte=5),
                name="contract_year_1_to_5",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["SIGNED", "IN_FORCE"])
                | (~Q(participant_signature="") & Q(participant_signed_at__isnull=False)),
                name="signed_contract_has_signature",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement_id} v{self.version} ({self.status})"

    def save(self, *args, **kwargs):
        # A signed version is immutable whatever path writes it (service, admin, shell):
        # only its status and the countersignature may still change.
        if self.pk:
            stored = (
                type(self)
                .objects.filter(pk=self.pk, status__in=self.SIGNED_STATES)
                .values(*self.TERMS)
                .first()
            )
            if stored and any(stored[name] != getattr(self, name) for name in self.TERMS):
                raise ValueError("A signed contract cannot be edited; make a new version.")
        super().save(*args, **kwargs)

    @property
    def participant(self):
        return self.placement.application.applicant

    @property
    def editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def ended(self) -> bool:
        """Countersigned and its term over: it stays IN_FORCE in the data (the agreement
        that was), but nobody works under it any more."""
        return self.status == self.Status.IN_FORCE and self.end_date < timezone.localdate()

    @property
    @reads("status", "end_date", per_value=True)
    def status_label(self) -> str:
        """The status as people are told it, on pages, in the PDF and in the API."""
        if self.ended:
            return _("Ended")
        return self.get_status_display()


class ContractUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Contract, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        db_table = "programme_contractuserobjectpermission"


class ContractGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Contract, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        db_table = "programme_contractgroupobjectpermission"


class MatchingRun(ChoiceLabels, RowLoading, models.Model):
    """One run of "Suggest placements": the engine's proposal for a year, which CLAIR
    staff review and override and a CLAIR manager approves, whole or line by line."""

    class State(models.TextChoices):
        RUNNING = "RUNNING", _("Running")
        READY = "READY", _("Ready for review")
        FAILED = "FAILED", _("Failed")

    programme_year = models.ForeignKey(ProgrammeYear, on_delete=models.PROTECT)
    job = models.OneToOneField(
        "core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.RUNNING
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Figures of the engine's result (placed, by preference rank, couples, seconds).
    stats = models.JSONField(default=dict, blank=True)
    # The open positions the engine was given, so a later run can say one closed.
    position_ids = models.JSONField(default=list, blank=True)

    class Meta:
        db_table = "programme_matchingrun"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("placement suggestion")
        verbose_name_plural = _("placement suggestions")

    def __str__(self) -> str:
        return f"run {self.pk} ({self.state})"


class MatchingLine(ChoiceLabels, RowLoading, models.Model):
    """One candidate in a run: the engine's proposal, any override, and the decision."""

    class Decision(models.TextChoices):
        PROPOSED = "PROPOSED", _("Proposed")
        APPROVED = "APPROVED", _("Approved and placed")
        REJECTED = "REJECTED", _("Rejected")
        FAILED = "FAILED", _("Could not be placed")

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="lines")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    proposed_position = models.ForeignKey(
        PositionRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.ForeignKey(
        PositionRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    preference_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    cost = models.IntegerField(default=0)
    # The engine's explanation: [{"code": ..., "params": {...}}], translated when shown.
    notes = models.JSONField(default=list, blank=True)
    override_reason = models.TextField(_("reason for the change"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    # The previous run's line whose change by hand this line keeps (the engine was told
    # to keep it); its reason, author and time are copied above. Removing the change
    # clears them, and the next run no longer keeps it.
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PROPOSED
    )
    decision_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    placement = models.ForeignKey(
        Placement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(table_name="programme_historicalmatchingline")

    class Meta:
        db_table = "programme_matchingline"
        ordering = ["run", "application"]
        verbose_name = _("suggested placement")
        verbose_name_plural = _("suggested placements")
        constraints = [
            models.UniqueConstraint(fields=["run", "application"], name="one_line_per_candidate"),
            models.UniqueConstraint(
                fields=["run", "position"],
                condition=Q(position__isnull=False),
                name="one_line_per_position",
            ),
            models.CheckConstraint(
                condition=Q(overridden_by__isnull=True) | ~Q(override_reason=""),
                name="override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"run {self.run_id}: {self.application_id} → {self.position_id}"

    @property
    def overridden(self) -> bool:
        return self.overridden_by_id is not None
