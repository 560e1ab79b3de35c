"""Recruitment and selection: acceptance numbers, applications and their assessment."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from apps.core.choice_labels import ChoiceLabels
from apps.core.loading import RowLoading
from apps.core.models import Country, Organisation, ProgrammeYear
from apps.core.reads import reads
from apps.recruitment.choices import DrivingLicence, JapaneseLevel, LocationPreference, Position
from apps.recruitment.places import placement_label


class AcceptanceNumber(ChoiceLabels, RowLoading, models.Model):
    """MIC's places for one country and position in a programme year, with its guideline."""

    class State(models.TextChoices):
        DRAFT = "DRAFT", _("Draft")
        PUBLISHED = "PUBLISHED", _("Published")

    programme_year = models.ForeignKey(
        ProgrammeYear, verbose_name=_("programme year"), on_delete=models.PROTECT
    )
    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.PROTECT)
    position = models.CharField(_("position"), max_length=3, choices=Position.choices)
    places = models.PositiveIntegerField(_("places"))
    guideline_en = models.TextField(_("guideline (English)"), blank=True)
    guideline_ja = models.TextField(_("guideline (Japanese)"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(table_name="programme_historicalacceptancenumber")

    class Meta:
        db_table = "programme_acceptancenumber"
        ordering = ["programme_year", "country__name_en", "position"]
        verbose_name = _("acceptance number")
        verbose_name_plural = _("acceptance numbers")
        constraints = [
            models.UniqueConstraint(
                fields=["programme_year", "country", "position"], name="one_number_per_slot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme_year} {self.country_id} {self.position}: {self.places}"


class AcceptanceNumberUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(AcceptanceNumber, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        db_table = "programme_acceptancenumberuserobjectpermission"


class AcceptanceNumberGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(AcceptanceNumber, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        db_table = "programme_acceptancenumbergroupobjectpermission"


class Application(ChoiceLabels, RowLoading, models.Model):
    """One person's application for one programme year, through one mission."""

    class Status(models.TextChoices):
        DRAFT = "DRAFT", _("Draft")
        SUBMITTED = "SUBMITTED", _("Submitted")
        INTERVIEW = "INTERVIEW", _("Invited to interview")
        SHORTLISTED = "SHORTLISTED", _("Shortlisted")
        ALTERNATE = "ALTERNATE", _("Alternate")
        NOT_SELECTED = "NOT_SELECTED", _("Not selected")
        DECLINED = "DECLINED", _("Declined the offer")
        WITHDRAWN = "WITHDRAWN", _("Withdrawn")
        FORWARDED = "FORWARDED", _("Forwarded to CLAIR")

    class Eligibility(models.TextChoices):
        UNCHECKED = "UNCHECKED", _("Not checked")
        ELIGIBLE = "ELIGIBLE", _("Eligible")
        INELIGIBLE = "INELIGIBLE", _("Ineligible")

    DECISIONS = (Status.SHORTLISTED, Status.ALTERNATE, Status.NOT_SELECTED)
    # Places taken against the acceptance number.
    HOLDS_PLACE = (Status.SHORTLISTED, Status.FORWARDED)

    number = models.CharField(_("application number"), max_length=20, unique=True)
    programme_year = models.ForeignKey(
        ProgrammeYear, verbose_name=_("programme year"), on_delete=models.PROTECT
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    mission = models.ForeignKey(
        Organisation,
        verbose_name=_("embassy or consulate"),
        on_delete=models.PROTECT,
        related_name="applications",
        limit_choices_to={"kind": "MISSION"},
    )
    # The mission's country, kept here so quotas and counts need no join.
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.CharField(_("position"), max_length=3, choices=Position.choices)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.DRAFT
    )

    # Personal details
    family_name = models.CharField(_("family name (as in passport)"), max_length=100, blank=True)
    given_names = models.CharField(_("given names (as in passport)"), max_length=150, blank=True)
    name_japanese = models.CharField(_("name in Japanese script"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    citizenship = models.ForeignKey(
        Country,
        verbose_name=_("citizenship"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    other_citizenship = models.CharField(_("other citizenship, if any"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("postal address"), blank=True)

    # Qualifications
    japanese_level = models.CharField(
        _("Japanese ability"), max_length=4, choices=JapaneseLevel.choices, blank=True
    )
    teaching_experience = models.TextField(_("teaching experience"), blank=True)
    qualifications = models.TextField(_("teaching qualifications (TEFL, etc.)"), blank=True)
    driving_licence = models.CharField(
        _("driving licence"), max_length=10, choices=DrivingLicence.choices, blank=True
    )

    # Placement wishes
    preference_1 = models.CharField(_("first placement preference"), max_length=20, blank=True)
    preference_2 = models.CharField(_("second placement preference"), max_length=20, blank=True)
    preference_3 = models.CharField(_("third placement preference"), max_length=20, blank=True)
    location_preference = models.CharField(
        _("urban or rural preference"),
        max_length=10,
        choices=LocationPreference.choices,
        blank=True,
    )
    partner_number = models.CharField(_("partner's application number"), max_length=20, blank=True)
    partner = models.ForeignKey(
        "self",
        verbose_name=_("partner's application"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # History with the programme and Japan
    previous_jet = models.BooleanField(_("previously on the JET Programme"), default=False)
    previous_jet_years = models.PositiveSmallIntegerField(
        _("years on the JET Programme before"), default=0
    )
    previous_jet_left_year = models.PositiveSmallIntegerField(
        _("year you left the JET Programme"), null=True, blank=True
    )
    declined_last_year = models.BooleanField(
        _("declined a placement in the previous year"), default=False
    )
    years_in_japan_last_10 = models.PositiveSmallIntegerField(
        _("years lived in Japan in the last ten years"), default=0
    )
    statement_of_purpose = models.TextField(_("statement of purpose"), blank=True)

    # Screening
    eligibility = models.CharField(
        _("eligibility"), max_length=10, choices=Eligibility.choices, default=Eligibility.UNCHECKED
    )
    eligibility_reasons = models.JSONField(_("eligibility reasons"), default=list, blank=True)
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewers"), blank=True, related_name="+"
    )
    screening_average = models.DecimalField(
        _("screening score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    interview_average = models.DecimalField(
        _("interview score"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    # Decision
    alternate_rank = models.PositiveIntegerField(_("alternate rank"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    results_released_at = models.DateTimeField(_("results released"), null=True, blank=True)
    upgraded_at = models.DateTimeField(_("upgraded from alternate"), null=True, blank=True)
    reply_due = models.DateField(_("reply due"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("forwarded to CLAIR"), null=True, blank=True)

    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        table_name="programme_historicalapplication",
        excluded_fields=["statement_of_purpose", "teaching_experience"],
    )

    class Meta:
        db_table = "programme_application"
        ordering = ["-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        permissions = [
            ("review_application", _("Can screen, score and interview")),
            ("decide_application", _("Can decide, release results and forward")),
            ("view_medical_application", _("Can open the medical self-report")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "programme_year"],
                condition=~Q(status="WITHDRAWN"),
                name="one_live_application_per_year",
            ),
            models.CheckConstraint(
                condition=Q(alternate_rank__isnull=True) | Q(status="ALTERNATE"),
                name="rank_only_for_alternates",
            ),
        ]
        indexes = [
            models.Index(fields=["mission", "-created_at", "-id"], name="app_mission_recent"),
            models.Index(fields=["programme_year", "country", "position", "status"]),
            models.Index(fields=["mission", "status"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    @reads("given_names", "family_name")
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.family_name) if p)

    @property
    def preferences_display(self) -> str:
        """The placement preferences in order, named in the reader's language."""
        preferences = (self.preference_1, self.preference_2, self.preference_3)
        return pgettext("list separator", ", ").join(placement_label(p) for p in preferences if p)

    @property
    def is_decided(self) -> bool:
        return self.status in self.DECISIONS

    @property
    def results_visible(self) -> bool:
        """Whether the applicant may know the decision yet."""
        return self.results_released_at is not None

    @property
    def withdrawable(self) -> bool:
        """Whether the applicant may still withdraw. Before release every decided
        application may, so the answer never gives an unreleased decision away."""
        if self.status in (self.Status.WITHDRAWN, self.Status.DECLINED):
            return False
        return not (self.status == self.Status.NOT_SELECTED and self.results_visible)

    def status_code_for_applicant(self) -> str:
        """The status code the applicant may know: UNDER_REVIEW until results are out."""
        if self.status in self.DECISIONS and not self.results_visible:
            return "UNDER_REVIEW"
        return self.status

    def status_for_applicant(self, *, placed: bool = False) -> str:
        """What the applicant is told: a decision stays 'under review' until release, and
        a forwarded candidate reads as placed once an organisation has accepted them
        (`placed`, which the placement domain knows)."""
        if self.status in self.DECISIONS and not self.results_visible:
            return str(_("Under review"))
        if placed and self.status == self.Status.FORWARDED:
            return str(_("Placed"))
        if self.status == self.Status.FORWARDED:
            return str(self.Status.SHORTLISTED.label)
        return self.get_status_display()


class ApplicationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Application, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        db_table = "programme_applicationuserobjectpermission"


class ApplicationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Application, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        db_table = "programme_applicationgroupobjectpermission"


class Education(ChoiceLabels, RowLoading, models.Model):
    """One post-secondary institution attended."""

    class Degree(models.TextChoices):
        BACHELOR = "BACHELOR", _("Bachelor's degree")
        MASTER = "MASTER", _("Master's degree")
        DOCTORATE = "DOCTORATE", _("Doctorate")
        OTHER = "OTHER", _("Other qualification")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="education")
    institution = models.CharField(_("institution"), max_length=200)
    degree = models.CharField(_("degree"), max_length=10, choices=Degree.choices)
    field_of_study = models.CharField(_("field of study"), max_length=150, blank=True)
    graduation_date = models.DateField(_("graduation date (expected or actual)"))

    class Meta:
        db_table = "programme_education"
        ordering = ["graduation_date"]
        verbose_name = _("education")
        verbose_name_plural = _("education")

    def __str__(self) -> str:
        return f"{self.institution} ({self.get_degree_display()})"


def _document_path(instance, filename):
    # Never the uploaded name: it may hold personal data or path tricks.
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}"


class ApplicationDocument(ChoiceLabels, RowLoading, models.Model):
    """An uploaded file of an application, with its verification state."""

    class Kind(models.TextChoices):
        TRANSCRIPT = "TRANSCRIPT", _("Official transcript")
        GRADUATION_PROOF = "GRADUATION_PROOF", _("Proof of (expected) graduation")
        CITIZENSHIP_PROOF = "CITIZENSHIP_PROOF", _("Proof of citizenship")
        CERTIFICATE = "CERTIFICATE", _("Certificate (optional)")
        MEDICAL = "MEDICAL", _("Self-report of medical conditions")
        REFERENCE = "REFERENCE", _("Letter of reference")
        CRIMINAL_RECORD = "CRIMINAL_RECORD", _("Criminal record check")
        HEALTH_CERTIFICATE = "HEALTH_CERTIFICATE", _("Certificate of health")
        FINAL_GRADUATION = "FINAL_GRADUATION", _("Proof of graduation")

    class Verification(models.TextChoices):
        PENDING = "PENDING", _("Not yet checked")
        VERIFIED = "VERIFIED", _("Verified")
        CORRECTION_REQUESTED = "CORRECTION_REQUESTED", _("Correction requested")
        REPLACED = "REPLACED", _("Replaced")

    REQUIRED = (Kind.TRANSCRIPT, Kind.GRADUATION_PROOF, Kind.CITIZENSHIP_PROOF, Kind.MEDICAL)
    FOLLOW_UP = (Kind.CRIMINAL_RECORD, Kind.HEALTH_CERTIFICATE, Kind.FINAL_GRADUATION)

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to=_document_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    verification = models.CharField(
        _("verification"), max_length=25, choices=Verification.choices, default=Verification.PENDING
    )
    correction_message = models.TextField(_("what must be corrected"), blank=True)
    correction_due = models.DateField(_("corrected document due"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced_by"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "programme_applicationdocument"
        ordering = ["kind", "-uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["application", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.original_name})"

    @property
    def is_current(self) -> bool:
        return self.verification != self.Verification.REPLACED


class Referee(ChoiceLabels, RowLoading, models.Model):
    """A referee, who uploads a letter through a private single-use link."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="referees")
    name = models.CharField(_("referee's name"), max_length=150)
    email = models.EmailField(_("referee's email"))
    relationship = models.CharField(_("relationship to you"), max_length=150, blank=True)
    # Only a hash: a leaked database must not hand out upload links.
    token_hash = models.CharField(max_length=64, unique=True)
    letter = models.OneToOneField(
        ApplicationDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("letter received"), null=True, blank=True)

    class Meta:
        db_table = "programme_referee"
        ordering = ["pk"]
        verbose_name = _("referee")
        verbose_name_plural = _("referees")

    def __str__(self) -> str:
        return self.name


class RubricCriterion(ChoiceLabels, RowLoading, models.Model):
    """One line of a mission's screening rubric for a programme year."""

    mission = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="rubric_criteria"
    )
    programme_year = models.ForeignKey(ProgrammeYear, on_delete=models.PROTECT)
    name_en = models.CharField(_("criterion (English)"), max_length=150)
    name_ja = models.CharField(_("criterion (Japanese)"), max_length=150, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=5)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "programme_rubriccriterion"
        ordering = ["order", "pk"]
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")

    def __str__(self) -> str:
        return self.name_en

    @property
    @reads("name_en", "name_ja", per_value=True)
    def name(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "en").startswith("ja") and self.name_ja:
            return self.name_ja
        return self.name_en


class Score(ChoiceLabels, RowLoading, models.Model):
    """One reviewer's score of one application at one stage."""

    class Stage(models.TextChoices):
        SCREENING = "SCREENING", _("Paper screening")
        INTERVIEW = "INTERVIEW", _("Interview")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    # {criterion id: points}
    points = models.JSONField(_("points"), default=dict)
    total = models.DecimalField(_("score (0-100)"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "programme_score"
        ordering = ["created_at"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer", "stage"], name="one_score_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.stage} {self.total}"


class ScoreRevision(RowLoading, models.Model):
    """One correction of a recorded score by its reviewer: what it was, why it changed."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="revisions")
    previous_points = models.JSONField(_("previous points"), default=dict)
    previous_total = models.DecimalField(_("previous score"), max_digits=5, decimal_places=2)
    previous_comment = models.TextField(_("previous comment"), blank=True)
    new_total = models.DecimalField(_("corrected score"), max_digits=5, decimal_places=2)
    reason = models.TextField(_("reason for the correction"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("corrected"), auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("score correction")
        verbose_name_plural = _("score corrections")

    def __str__(self) -> str:
        return f"{self.score_id}: {self.previous_total} -> {self.new_total}"


class InterviewSlot(ChoiceLabels, RowLoading, models.Model):
    """A time a mission's panel interviews up to `capacity` applicants."""

    mission = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="interview_slots"
    )
    programme_year = models.ForeignKey(ProgrammeYear, on_delete=models.PROTECT)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=1)
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("panel"), blank=True, related_name="+"
    )

    class Meta:
        db_table = "programme_interviewslot"
        ordering = ["starts_at", "pk"]
        verbose_name = _("interview slot")
        verbose_name_plural = _("interview slots")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="slot_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.mission_id} {self.starts_at:%Y-%m-%d %H:%M}"


class InterviewSlotUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(InterviewSlot, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        db_table = "programme_interviewslotuserobjectpermission"


class InterviewSlotGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(InterviewSlot, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        db_table = "programme_interviewslotgroupobjectpermission"


class InterviewBooking(ChoiceLabels, RowLoading, models.Model):
    """An application's place in an interview slot: one per application."""

    slot = models.ForeignKey(InterviewSlot, on_delete=models.CASCADE, related_name="bookings")
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="interview"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "programme_interviewbooking"
        verbose_name = _("interview booking")
        verbose_name_plural = _("interview bookings")

    def __str__(self) -> str:
        return f"{self.application_id} @ {self.slot_id}"


class ReplyForm(ChoiceLabels, RowLoading, models.Model):
    """A shortlisted candidate's answer to the offer."""

    class Answer(models.TextChoices):
        ACCEPT = "ACCEPT", _("I accept")
        DECLINE = "DECLINE", _("I decline")

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="reply")
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)
    departure_airport = models.CharField(_("departure airport"), max_length=100, blank=True)
    dependants = models.PositiveSmallIntegerField(_("dependants coming with you"), default=0)
    passport_number = models.CharField(_("passport number"), max_length=30, blank=True)
    passport_expiry = models.DateField(_("passport expiry date"), null=True, blank=True)
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "programme_replyform"
        verbose_name = _("reply form")
        verbose_name_plural = _("reply forms")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.answer}"


class ResultRelease(ChoiceLabels, RowLoading, models.Model):
    """A mission releasing its results for a programme year: all at once, once."""

    mission = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    programme_year = models.ForeignKey(ProgrammeYear, on_delete=models.PROTECT)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "programme_resultrelease"
        verbose_name = _("results release")
        verbose_name_plural = _("results releases")
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "programme_year"], name="one_release_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mission_id} {self.programme_year_id}"


class AlternateRequest(ChoiceLabels, RowLoading, models.Model):
    """CLAIR asking a mission to upgrade an alternate, when a place must be filled."""

    mission = models.ForeignKey(
        Organisation,
        verbose_name=_("embassy or consulate"),
        on_delete=models.CASCADE,
        related_name="alternate_requests",
    )
    programme_year = models.ForeignKey(ProgrammeYear, on_delete=models.PROTECT)
    position = models.CharField(_("position"), max_length=3, choices=Position.choices)
    note = models.TextField(_("note"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    fulfilled_by = models.OneToOneField(
        Application,
        verbose_name=_("upgraded alternate"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    fulfilled_at = models.DateTimeField(_("fulfilled"), null=True, blank=True)

    class Meta:
        db_table = "programme_alternaterequest"
        ordering = ["created_at", "pk"]
        verbose_name = _("request for an alternate")
        verbose_name_plural = _("requests for alternates")
        indexes = [models.Index(fields=["mission", "programme_year", "position"])]

    def __str__(self) -> str:
        return f"{self.mission_id} {self.position} {self.created_at:%Y-%m-%d}"
