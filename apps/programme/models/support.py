"""CLAIR's support services: confidential counselling cases and the counselling subsidy,
the Japanese language course, the guidance and curriculum libraries, correspondence
between organisations, promotion and alumni (issue 7)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation
from apps.programme.models.events import BilingualText, Event


def _private_path(instance, filename: str) -> str:
    # Random names: a file's address says nothing about whose it is.
    return f"private/{type(instance).__name__.lower()}/{uuid.uuid4().hex}"


# --- counselling -------------------------------------------------------------------------


class SupportCase(models.Model):
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
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("support case")
        verbose_name_plural = _("support cases")
        indexes = [models.Index(fields=["status", "assigned_to"])]

    def __str__(self) -> str:
        return f"support case {self.pk}"


class SupportMessage(models.Model):
    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    # Counsellors' notes to each other; never shown to the participant.
    internal = models.BooleanField(_("internal note"), default=False)
    attachment = models.FileField(upload_to=_private_path, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"message {self.pk} on case {self.case_id}"


class SupportReassignment(models.Model):
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
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"reassignment of case {self.case_id}"


class SubsidyClaim(models.Model):
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


class SubsidyReceipt(models.Model):
    claim = models.ForeignKey(SubsidyClaim, on_delete=models.CASCADE, related_name="receipts")
    file = models.FileField(upload_to=_private_path)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


# --- the Japanese language course ----------------------------------------------------------


class CourseIntake(BilingualText, models.Model):
    class Level(models.TextChoices):
        BEGINNER = "BEGINNER", _("Beginner")
        INTERMEDIATE = "INTERMEDIATE", _("Intermediate")
        ADVANCED = "ADVANCED", _("Advanced")
        TRANSLATION = "TRANSLATION", _("Translation and interpreting")

    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200, blank=True)
    enrol_opens = models.DateTimeField(_("enrolment opens"))
    enrol_closes = models.DateTimeField(_("enrolment closes"))
    capacity = models.PositiveIntegerField(_("capacity"))
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "level"]
        verbose_name = _("course intake")
        verbose_name_plural = _("course intakes")
        constraints = [
            models.CheckConstraint(
                condition=Q(enrol_closes__gt=models.F("enrol_opens")),
                name="intake_window_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title_en


class Enrolment(models.Model):
    class State(models.TextChoices):
        ENROLLED = "ENROLLED", _("Enrolled")
        WITHDRAWN = "WITHDRAWN", _("Withdrawn")

    intake = models.ForeignKey(CourseIntake, on_delete=models.PROTECT, related_name="enrolments")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolments"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="ENROLLED")
    created_at = models.DateTimeField(auto_now_add=True)
    certificate_number = models.CharField(max_length=40, blank=True)
    certificate_issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["intake", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["intake", "participant"],
                condition=Q(state="ENROLLED"),
                name="one_enrolment_per_intake",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} in {self.intake_id}"


class CourseMaterial(BilingualText, models.Model):
    intake = models.ForeignKey(CourseIntake, on_delete=models.CASCADE, related_name="materials")
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200, blank=True)
    release_on = models.DateField(_("released on"))
    file = models.FileField(upload_to=_private_path)
    filename = models.CharField(max_length=200)

    class Meta:
        ordering = ["intake", "release_on", "pk"]

    def __str__(self) -> str:
        return self.title_en


class CourseTest(BilingualText, models.Model):
    intake = models.ForeignKey(CourseIntake, on_delete=models.CASCADE, related_name="tests")
    number = models.PositiveSmallIntegerField(_("test number"))
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200, blank=True)
    due_at = models.DateTimeField(_("due"))

    class Meta:
        ordering = ["intake", "number"]
        constraints = [
            models.UniqueConstraint(fields=["intake", "number"], name="one_test_number"),
        ]

    def __str__(self) -> str:
        return self.title_en


class Submission(models.Model):
    test = models.ForeignKey(CourseTest, on_delete=models.CASCADE, related_name="submissions")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="submissions")
    file = models.FileField(upload_to=_private_path)
    filename = models.CharField(max_length=200)
    submitted_at = models.DateTimeField()
    on_time = models.BooleanField(default=True)
    score = models.PositiveSmallIntegerField(_("score (%)"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["test", "enrolment"]
        constraints = [
            models.UniqueConstraint(fields=["test", "enrolment"], name="one_submission_per_test"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100), name="score_is_a_percentage"
            ),
        ]

    def __str__(self) -> str:
        return f"submission {self.pk}"


# --- libraries ---------------------------------------------------------------------------


class LibraryDocument(BilingualText, models.Model):
    class Kind(models.TextChoices):
        HANDBOOK = "HANDBOOK", _("Handbook")
        MANUAL = "MANUAL", _("Organisation manual")
        QA = "QA", _("Questions and answers")
        GENERAL_INFORMATION = "GENERAL", _("General information handbook")
        CURRICULUM = "CURRICULUM", _("Curriculum")
        STANDARD = "STANDARD", _("Standard")
        TEXT = "TEXT", _("Teaching text")

    class Audience(models.TextChoices):
        CONTRACTING = "CONTRACTING", _("Contracting organisations")
        ALT = "ALT", _("ALTs")
        CIR = "CIR", _("CIRs")
        PARTICIPANTS = "PARTICIPANTS", _("All participants")
        SCHOOLS = "SCHOOLS", _("Schools")

    publisher = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="library_documents"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200, blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_ja = models.TextField(_("summary (Japanese)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "pk"]
        verbose_name = _("library document")
        verbose_name_plural = _("library documents")

    def __str__(self) -> str:
        return self.title_en


class LibraryVersion(models.Model):
    document = models.ForeignKey(LibraryDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(upload_to=_private_path)
    filename = models.CharField(max_length=200)
    note = models.TextField(_("what changed"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_library_version"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"


# --- correspondence between organisations ----------------------------------------------------


class Thread(models.Model):
    subject = models.CharField(_("subject"), max_length=200)
    members = models.ManyToManyField(Organisation, through="ThreadMember", related_name="threads")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("correspondence thread")
        verbose_name_plural = _("correspondence threads")

    def __str__(self) -> str:
        return self.subject


class ThreadMember(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "organisation"], name="one_member_row"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} in {self.thread_id}"


class ThreadMessage(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    attachment = models.FileField(upload_to=_private_path, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"message {self.pk} in {self.thread_id}"


# --- promotion and alumni --------------------------------------------------------------------


class PromotionActivity(models.Model):
    class Kind(models.TextChoices):
        FAIR = "FAIR", _("Fair")
        UNIVERSITY = "UNIVERSITY", _("University visit")
        ONLINE = "ONLINE", _("Online session")
        SOCIAL = "SOCIAL", _("Social media push")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="promotions"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    audience = models.CharField(_("audience"), max_length=200, blank=True)
    reach = models.PositiveIntegerField(_("people reached"), default=0)
    information_sessions = models.ManyToManyField(
        Event, blank=True, related_name="promotions", verbose_name=_("information sessions")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("promotional activity")
        verbose_name_plural = _("promotional activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="promotion_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AlumniConsent(models.Model):
    """A leaving participant's agreement to be contacted by the alumni association; their
    mission sees them while it stands."""

    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="alumni_consents"
    )
    mission = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    years = models.PositiveSmallIntegerField(_("years on the programme"))
    prefecture_en = models.CharField(max_length=50)
    prefecture_ja = models.CharField(max_length=50)
    given_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_standing_alumni_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"alumni consent {self.pk}"
