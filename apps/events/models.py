"""Orientations, conferences and seminars, their sessions, who registered, and each
person's calendar feed."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from apps.core.bilingual import Bilingual
from apps.core.choice_labels import ChoiceLabels
from apps.core.loading import RowLoading
from apps.core.models import Organisation, Prefecture, ProgrammeYear


class Event(Bilingual, RowLoading, models.Model):
    class Kind(models.TextChoices):
        INFORMATION_SESSION = "INFO", _("Information session")
        PRE_DEPARTURE = "PRE_DEPARTURE", _("Pre-departure orientation")
        TOKYO_ORIENTATION = "TOKYO", _("Tokyo Orientation")
        CIR_MID_YEAR = "CIR_MID_YEAR", _("CIR Mid-Year Conference")
        SKILL_DEVELOPMENT = "SKILL_DEV", _("Skill Development Conference")
        ALT_MID_YEAR = "ALT_MID_YEAR", _("ALT prefectural mid-year seminar")
        RETURNING = "RETURNING", _("Conference for Returning JETs")
        WELCOME_BACK = "WELCOME_BACK", _("Welcome-back reception")

    class Audience(models.TextChoices):
        APPLICANTS = "APPLICANTS", _("Applicants")
        SHORTLISTED = "SHORTLISTED", _("Shortlisted candidates")
        NEW_PARTICIPANTS = "NEW", _("New participants")
        ALT = "ALT", _("ALTs")
        CIR = "CIR", _("CIRs")
        SEA = "SEA", _("SEAs")
        ALL_PARTICIPANTS = "PARTICIPANTS", _("All participants")
        RECONTRACTING = "RECONTRACTING", _("Re-contracting participants")
        RETURNING = "RETURNING", _("Participants leaving this year")
        PREFECTURE = "PREFECTURE", _("Participants in one prefecture")
        ALUMNI = "ALUMNI", _("Alumni")

    programme_year = models.ForeignKey(ProgrammeYear, on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    organiser = models.ForeignKey(
        Organisation, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="events"
    )
    supported_by = models.ForeignKey(
        Organisation,
        verbose_name=_("supported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supported_events",
    )
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    venue_en = models.CharField(_("venue (English)"), max_length=300, blank=True)
    venue_ja = models.CharField(_("venue (Japanese)"), max_length=300, blank=True)
    bring_en = models.TextField(_("what to bring (English)"), blank=True)
    bring_ja = models.TextField(_("what to bring (Japanese)"), blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    time_zone = models.CharField(_("time zone"), max_length=50, default="Asia/Tokyo")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("registration closes"), null=True, blank=True)
    audience = models.CharField(_("audience"), max_length=15, choices=Audience.choices)
    audience_prefecture = models.ForeignKey(
        Prefecture,
        verbose_name=_("prefecture"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    arrival_group = models.CharField(_("arrival group"), max_length=5, blank=True)
    attendance_required = models.BooleanField(_("attendance required"), default=False)
    # Bumped on every change, so calendar apps replace the entry (ICS SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(table_name="programme_historicalevent")

    class Meta:
        db_table = "programme_event"
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(audience="PREFECTURE") | Q(audience_prefecture__isnull=False),
                name="prefecture_audience_names_prefecture",
            ),
        ]
        indexes = [models.Index(fields=["programme_year", "kind", "starts_at"])]

    def __str__(self) -> str:
        return self.title_en


class Session(Bilingual, RowLoading, models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    presenter = models.ForeignKey(
        Organisation,
        verbose_name=_("presenter organisation"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.CharField(_("room"), max_length=100, blank=True)
    room_ja = models.CharField(_("room (Japanese)"), max_length=100, blank=True)
    track = models.CharField(_("track"), max_length=100, blank=True)
    # How many registrants may choose the session; empty: no limit but the event's.
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(table_name="programme_historicalsession")

    class Meta:
        db_table = "programme_session"
        ordering = ["starts_at", "track", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title_en

    @property
    def room_name(self) -> str:
        """The room in the reader's language: a hotel's rooms have Japanese names too."""
        if (get_language() or "en").startswith("ja") and self.room_ja:
            return self.room_ja
        return self.room


class Registration(ChoiceLabels, RowLoading, models.Model):
    class State(models.TextChoices):
        REGISTERED = "REGISTERED", _("Registered")
        WAITLISTED = "WAITLISTED", _("On the waitlist")
        CANCELLED = "CANCELLED", _("Cancelled")

    LIVE = (State.REGISTERED, State.WAITLISTED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    automatic = models.BooleanField(_("registered automatically"), default=False)
    sessions = models.ManyToManyField(Session, blank=True, related_name="registrations")
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "programme_registration"
        ordering = ["event", "created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(state__in=["REGISTERED", "WAITLISTED"]),
                name="one_live_registration_per_person",
            ),
        ]
        indexes = [models.Index(fields=["event", "state", "created_at"])]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.event_id} ({self.state})"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(ChoiceLabels, RowLoading, models.Model):
    """The secret address of a person's calendar feed; a reset gives a new one."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "programme_calendarfeed"

    def __str__(self) -> str:
        return f"feed of {self.person_id}"


class RegistrationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Registration, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        db_table = "programme_registrationuserobjectpermission"


class RegistrationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Registration, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        db_table = "programme_registrationgroupobjectpermission"
