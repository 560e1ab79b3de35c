"""Users, organisations and their memberships, and the programme's reference data."""

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from apps.core.choice_labels import ChoiceLabels
from apps.core.loading import RowLoading
from apps.core.query_shapes import by_shape
from apps.core.reads import reads


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    JAPANESE = "ja", _("Japanese")


class Kind(models.TextChoices):
    """What a user acts as. Organisation kinds plus the two kinds of private person."""

    CLAIR = "CLAIR", _("CLAIR")
    MOFA = "MOFA", _("MOFA headquarters")
    MISSION = "MISSION", _("Embassy or consulate")
    MIC = "MIC", _("MIC")
    MEXT = "MEXT", _("MEXT")
    CONTRACTING = "CONTRACTING", _("Contracting organisation")
    APPLICANT = "APPLICANT", _("Applicant")
    PARTICIPANT = "PARTICIPANT", _("Participant")


class BilingualNameMixin:
    """`name` in the active language, falling back to English."""

    @property
    @reads("name_en", "name_ja", per_value=True)
    def name(self) -> str:
        if (get_language() or "en").startswith("ja") and self.name_ja:
            return self.name_ja
        return self.name_en

    def __str__(self) -> str:
        return self.name


class Country(BilingualNameMixin, RowLoading, models.Model):
    """A participating country, by its ISO 3166-1 alpha-2 code."""

    code = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")


class Region(models.TextChoices):
    HOKKAIDO = "HOKKAIDO", _("Hokkaido")
    TOHOKU = "TOHOKU", _("Tohoku")
    KANTO = "KANTO", _("Kanto")
    CHUBU = "CHUBU", _("Chubu")
    KINKI = "KINKI", _("Kinki")
    CHUGOKU = "CHUGOKU", _("Chugoku")
    SHIKOKU = "SHIKOKU", _("Shikoku")
    KYUSHU_OKINAWA = "KYUSHU_OKINAWA", _("Kyushu and Okinawa")


class Prefecture(BilingualNameMixin, RowLoading, models.Model):
    """One of the 47 prefectures, by its JIS X 0401 code."""

    code = models.CharField(_("JIS code"), max_length=2, primary_key=True)
    name_en = models.CharField(_("name (English)"), max_length=50)
    name_ja = models.CharField(_("name (Japanese)"), max_length=50)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("prefecture")
        verbose_name_plural = _("prefectures")


class ProgrammeYear(ChoiceLabels, RowLoading, models.Model):
    """One recruitment and appointment cycle, named by the year participants arrive."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    applications_open = models.DateTimeField(_("applications open"))
    application_deadline = models.DateTimeField(_("application deadline"))
    degree_deadline = models.DateField(_("degree must be held by"))
    results_release = models.DateField(_("results released from"))
    reply_deadline = models.DateField(_("reply form deadline"))
    departure_group_a = models.DateField(_("departure Group A"))
    departure_group_b = models.DateField(_("departure Group B"))
    is_current = models.BooleanField(_("current year"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("programme year")
        verbose_name_plural = _("programme years")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="one_current_programme_year",
            ),
            models.CheckConstraint(
                condition=models.Q(application_deadline__gt=models.F("applications_open")),
                name="programme_year_deadline_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)


class ContractingType(models.TextChoices):
    PREFECTURE = "PREFECTURE", _("Prefecture")
    DESIGNATED_CITY = "DESIGNATED_CITY", _("Designated city")
    MUNICIPALITY = "MUNICIPALITY", _("City, town or village")
    SCHOOL = "SCHOOL", _("School")
    OTHER = "OTHER", _("Other")


class Organisation(BilingualNameMixin, RowLoading, models.Model):
    """A body that acts in the programme; its staff act through its own auth group."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices[:6])
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="organisation")
    # Its managers alone, for what only managers may open (a health self-report).
    manager_group = models.OneToOneField(
        Group,
        on_delete=models.PROTECT,
        related_name="managed_organisation",
        null=True,
        blank=True,
    )
    # Missions
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="missions",
    )
    jurisdiction_note = models.CharField(_("jurisdiction"), max_length=300, blank=True)
    # The IANA zone the organisation works in; a mission's is the default zone of its
    # staff and of the applicants who apply through it (apps/core/time_zones.py).
    time_zone = models.CharField(
        _("time zone"), max_length=50, default="Asia/Tokyo", db_default="Asia/Tokyo"
    )
    # Contracting organisations
    prefecture = models.ForeignKey(
        Prefecture,
        verbose_name=_("prefecture"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    contracting_type = models.CharField(
        _("type"), max_length=20, choices=ContractingType.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name_en"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="MISSION") | models.Q(country__isnull=False),
                name="mission_has_country",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="CONTRACTING")
                | (models.Q(prefecture__isnull=False) & ~models.Q(contracting_type="")),
                name="contracting_has_prefecture_and_type",
            ),
        ]
        indexes = [models.Index(fields=["kind", "country"])]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:organisation-detail", kwargs={"pk": self.pk})


class OrganisationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Organisation, on_delete=models.CASCADE)


class OrganisationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Organisation, on_delete=models.CASCADE)


class PersonRole(models.TextChoices):
    NONE = "", _("None")
    APPLICANT = "APPLICANT", _("Applicant")
    PARTICIPANT = "PARTICIPANT", _("Participant")


class User(ChoiceLabels, RowLoading, AbstractUser):
    """A person who signs in: staff of one organisation, or an applicant or participant."""

    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    person_role = models.CharField(
        _("person role"), max_length=20, choices=PersonRole.choices, blank=True, default=""
    )
    # Times on pages, in the schedule and in calendar feeds are shown in this zone: Japan
    # for staff and participants, the mission's for an applicant abroad.
    time_zone = models.CharField(_("time zone"), max_length=50, default="Asia/Tokyo")
    # Set once the person chose their zone themselves: a mission's zone no longer
    # replaces it when they join its staff or apply through it.
    time_zone_chosen = models.BooleanField(_("time zone chosen"), default=False, db_default=False)
    # When the person followed the link emailed to them at sign-up; empty for accounts an
    # organisation made. A signed-up account is inactive until then.
    email_confirmed_at = models.DateTimeField(_("email confirmed"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    @reads("first_name", "last_name")
    def get_full_name(self) -> str:
        # Django's own, marked so that a list showing a person's name reads two columns.
        return super().get_full_name()

    @cached_property
    def membership_or_none(self) -> "Membership | None":
        """Membership and organisation in one query, kept for the request."""
        memberships = by_shape(Membership.objects.select_related("organisation"))
        return memberships.filter(user_id=self.pk).first()

    @property
    def organisation(self) -> Organisation | None:
        membership = self.membership_or_none
        return membership.organisation if membership else None

    @property
    def kind(self) -> str | None:
        """The actor kind this user acts as, or None for an account with no role yet."""
        membership = self.membership_or_none
        if membership:
            return membership.organisation.kind
        return self.person_role or None

    @property
    def role(self) -> str | None:
        membership = self.membership_or_none
        return membership.role if membership else None

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER


class Role(models.TextChoices):
    STAFF = "STAFF", _("Staff")
    MANAGER = "MANAGER", _("Manager")


class Membership(ChoiceLabels, RowLoading, models.Model):
    """A staff member of one organisation. Applicants and participants have none."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="membership")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)
    # Duties that cut across the staff/manager role: CLAIR's counsellors read support
    # cases; a host prefecture's advisor reads what a participant shares with them.
    counsellor = models.BooleanField(_("counsellor"), default=False)
    prefectural_advisor = models.BooleanField(_("prefectural advisor"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class Job(ChoiceLabels, RowLoading, models.Model):
    """Long work run by a Celery worker (an export, a bulk notice), watched by the person
    who asked for it. `handler` is the dotted path of the function that does the work."""

    class State(models.TextChoices):
        QUEUED = "QUEUED", _("Waiting to start")
        RUNNING = "RUNNING", _("Running")
        DONE = "DONE", _("Finished")
        FAILED = "FAILED", _("Failed")

    handler = models.CharField(max_length=200)
    title = models.CharField(_("title"), max_length=200)
    requested_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="jobs")
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    result_message = models.TextField(blank=True)
    result_file = models.FileField(upload_to="jobs/", blank=True)
    result_filename = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:job-detail", kwargs={"pk": self.pk})

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)


class SavedFilter(RowLoading, models.Model):
    """One person's named filters of a list: the list's path and its query string, as
    the page had them ("?status=SUBMITTED&o=-score"). Theirs alone."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="saved_filters")
    path = models.CharField(_("list"), max_length=200)
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    name = models.CharField(_("name"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "path", "name"], name="one_saved_filter_name_per_list"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def url(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path
