"""Safety confirmation after a disaster: CLAIR asks every participant placed in the
struck prefectures whether they are safe; each answers through a personal link."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.bilingual import Bilingual
from apps.core.choice_labels import ChoiceLabels
from apps.core.loading import RowLoading
from apps.core.models import Country, Organisation, Prefecture


class SafetyCheck(Bilingual, RowLoading, models.Model):
    """One safety check for one disaster, over one or more prefectures."""

    class Kind(models.TextChoices):
        EARTHQUAKE = "EARTHQUAKE", _("Earthquake")
        TYPHOON = "TYPHOON", _("Typhoon")
        FLOOD = "FLOOD", _("Flood or heavy rain")
        TSUNAMI = "TSUNAMI", _("Tsunami")
        OTHER = "OTHER", _("Other emergency")

    class State(models.TextChoices):
        OPEN = "OPEN", _("Open")
        CLOSED = "CLOSED", _("Closed")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200, blank=True)
    message_en = models.TextField(_("message (English)"))
    message_ja = models.TextField(_("message (Japanese)"), blank=True)
    prefectures = models.ManyToManyField(
        Prefecture, verbose_name=_("prefectures"), related_name="safety_checks"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="OPEN")
    remind_every_hours = models.PositiveSmallIntegerField(_("remind every (hours)"), default=3)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        db_table = "programme_safetycheck"
        ordering = ["-started_at", "-pk"]
        verbose_name = _("safety check")
        verbose_name_plural = _("safety checks")
        constraints = [
            models.CheckConstraint(
                condition=Q(remind_every_hours__gte=1), name="safety_reminders_at_least_hourly"
            ),
            models.CheckConstraint(
                condition=~Q(state="CLOSED") | Q(closed_at__isnull=False),
                name="closed_safety_check_has_time",
            ),
        ]
        indexes = [models.Index(fields=["state", "started_at"])]

    def __str__(self) -> str:
        return f"safety check {self.pk}"

    @property
    def message(self) -> str:
        return self.text("message")

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class SafetyAnswer(ChoiceLabels, RowLoading, models.Model):
    """One participant in a check: their personal link and their latest answer. Where
    they were placed and their country are copied in at the start, so each reader's
    filter (an organisation, a mission's country) is one indexed column."""

    class Status(models.TextChoices):
        UNANSWERED = "", _("Not answered yet")
        SAFE = "SAFE", _("I am safe")
        NEED_HELP = "NEED_HELP", _("I need help")

    safety_check = models.ForeignKey(SafetyCheck, on_delete=models.CASCADE, related_name="answers")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="safety_answers"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    prefecture = models.ForeignKey(Prefecture, on_delete=models.PROTECT, related_name="+")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    # The personal link's secret: it answers for this participant without signing in.
    token = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        _("answer"), max_length=10, choices=Status.choices, blank=True, default=""
    )
    note = models.TextField(_("note"), blank=True)
    location = models.CharField(_("current location"), max_length=300, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # Who gave the answer: the participant, or their organisation's staff on their behalf.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(
        table_name="programme_historicalsafetyanswer", excluded_fields=["token"]
    )

    class Meta:
        db_table = "programme_safetyanswer"
        ordering = ["prefecture", "organisation", "participant__last_name", "pk"]
        verbose_name = _("safety answer")
        verbose_name_plural = _("safety answers")
        constraints = [
            models.UniqueConstraint(
                fields=["safety_check", "participant"], name="one_safety_answer_per_participant"
            ),
            models.CheckConstraint(
                condition=Q(status="") | Q(answered_at__isnull=False),
                name="safety_answer_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["safety_check", "organisation"]),
            models.Index(fields=["safety_check", "country"]),
            models.Index(fields=["safety_check", "status"]),
        ]

    def __str__(self) -> str:
        return f"safety answer {self.pk}"
