"""Correspondence between organisations, promotional activities and alumni consent."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.choice_labels import ChoiceLabels
from apps.core.loading import RowLoading
from apps.core.models import Organisation
from apps.core.uploads import private_path
from apps.events.models import Event

# --- correspondence between organisations ----------------------------------------------------


class Thread(ChoiceLabels, RowLoading, models.Model):
    subject = models.CharField(_("subject"), max_length=200)
    members = models.ManyToManyField(Organisation, through="ThreadMember", related_name="threads")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "programme_thread"
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("correspondence thread")
        verbose_name_plural = _("correspondence threads")

    def __str__(self) -> str:
        return self.subject


class ThreadMember(ChoiceLabels, RowLoading, models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "programme_threadmember"
        constraints = [
            models.UniqueConstraint(fields=["thread", "organisation"], name="one_member_row"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} in {self.thread_id}"


class ThreadMessage(ChoiceLabels, RowLoading, models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    attachment = models.FileField(upload_to=private_path, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "programme_threadmessage"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"message {self.pk} in {self.thread_id}"


# --- promotion and alumni --------------------------------------------------------------------


class PromotionActivity(ChoiceLabels, RowLoading, models.Model):
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
        db_table = "programme_promotionactivity"
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


class AlumniConsent(ChoiceLabels, RowLoading, models.Model):
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
        db_table = "programme_alumniconsent"
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
