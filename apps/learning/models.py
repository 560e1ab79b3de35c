"""The Japanese language course and the guidance and curriculum libraries."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.bilingual import BilingualText
from apps.core.choice_labels import ChoiceLabels
from apps.core.loading import RowLoading
from apps.core.models import Organisation
from apps.core.uploads import private_path

# --- the Japanese language course ----------------------------------------------------------


class CourseIntake(BilingualText, RowLoading, models.Model):
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
        db_table = "programme_courseintake"
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


class Enrolment(ChoiceLabels, RowLoading, models.Model):
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
        db_table = "programme_enrolment"
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


class CourseMaterial(BilingualText, RowLoading, models.Model):
    intake = models.ForeignKey(CourseIntake, on_delete=models.CASCADE, related_name="materials")
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200, blank=True)
    release_on = models.DateField(_("released on"))
    file = models.FileField(upload_to=private_path)
    filename = models.CharField(max_length=200)

    class Meta:
        db_table = "programme_coursematerial"
        ordering = ["intake", "release_on", "pk"]

    def __str__(self) -> str:
        return self.title_en


class CourseTest(BilingualText, RowLoading, models.Model):
    intake = models.ForeignKey(CourseIntake, on_delete=models.CASCADE, related_name="tests")
    number = models.PositiveSmallIntegerField(_("test number"))
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200, blank=True)
    due_at = models.DateTimeField(_("due"))

    class Meta:
        db_table = "programme_coursetest"
        ordering = ["intake", "number"]
        constraints = [
            models.UniqueConstraint(fields=["intake", "number"], name="one_test_number"),
        ]

    def __str__(self) -> str:
        return self.title_en


class Submission(ChoiceLabels, RowLoading, models.Model):
    test = models.ForeignKey(CourseTest, on_delete=models.CASCADE, related_name="submissions")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="submissions")
    file = models.FileField(upload_to=private_path)
    filename = models.CharField(max_length=200)
    submitted_at = models.DateTimeField()
    on_time = models.BooleanField(default=True)
    score = models.PositiveSmallIntegerField(_("score (%)"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "programme_submission"
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


class LibraryDocument(BilingualText, RowLoading, models.Model):
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
        db_table = "programme_librarydocument"
        ordering = ["-updated_at", "pk"]
        verbose_name = _("library document")
        verbose_name_plural = _("library documents")

    def __str__(self) -> str:
        return self.title_en


class LibraryVersion(ChoiceLabels, RowLoading, models.Model):
    document = models.ForeignKey(LibraryDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(upload_to=private_path)
    filename = models.CharField(max_length=200)
    note = models.TextField(_("what changed"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "programme_libraryversion"
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_library_version"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"
