"""The outbox: one row per message, written in the transaction that causes it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.loading import RowLoading


class Notification(RowLoading, models.Model):
    """A message to one person, shown in their inbox and sent to them by email once."""

    class State(models.TextChoices):
        PENDING = "PENDING", _("Pending")
        # Claimed by a worker, whose send may or may not have happened if it died.
        SENDING = "SENDING", _("Sending")
        SENT = "SENT", _("Sent")
        FAILED = "FAILED", _("Failed")

    # A person with an account, or only an address (a referee).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
    )
    email = models.EmailField(_("email"), blank=True)
    kind = models.CharField(_("kind"), max_length=60)
    language = models.CharField(_("language"), max_length=2)
    context = models.JSONField(_("context"), default=dict, blank=True)
    # The event that caused it, so one event never notifies a person twice.
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(email=""),
                name="notification_has_recipient_or_email",
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notif_inbox"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notif_unread",
            ),
            models.Index(
                fields=["created_at", "id"],
                condition=models.Q(state="PENDING"),
                name="notif_pending_oldest",
            ),
            models.Index(
                fields=["claimed_at"],
                condition=models.Q(state="SENDING"),
                name="notif_sending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id or self.email}"

    @property
    def address(self) -> str:
        return self.recipient.email if self.recipient_id else self.email


class NoticeTemplate(RowLoading, models.Model):
    """A mission's own wording of one kind of standard notice, in both languages."""

    # apps.core sits above this app: the organisation by its label.
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="notice_templates"
    )
    kind = models.CharField(_("kind"), max_length=60)
    subject_en = models.CharField(_("subject (English)"), max_length=200)
    body_en = models.TextField(_("text (English)"), max_length=5000)
    subject_ja = models.CharField(_("subject (Japanese)"), max_length=200)
    body_ja = models.TextField(_("text (Japanese)"), max_length=5000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["organisation", "kind"]
        verbose_name = _("notice template")
        verbose_name_plural = _("notice templates")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"], name="notice_template_one_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.organisation_id})"
