"""Writes on organisations and people."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from knox.models import AuthToken

from apps.core import access, time_zones
from apps.core.errors import DomainError
from apps.core.models import (
    Kind,
    Language,
    Membership,
    Organisation,
    PersonRole,
    Role,
    SavedFilter,
    User,
)
from apps.notifications.services import notification_record


def _apply_kind_permissions(organisation: Organisation) -> None:
    for perm in access.KIND_PERMISSIONS.get(organisation.kind, []):
        app_label, codename = perm.split(".")
        organisation.group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def organisation_kind_permissions_sync() -> None:
    """Give every organisation its kind's model-wide rights (after a kind gains one)."""
    for organisation in Organisation.objects.select_related("group"):
        _apply_kind_permissions(organisation)


@transaction.atomic
def organisation_create(*, kind: str, name_en: str, name_ja: str = "", **fields) -> Organisation:
    """Create an organisation with its own group; its members may see it, and MOFA HQ
    may see every mission."""
    if kind == Kind.MISSION and not fields.get("country"):
        raise DomainError(_("An embassy or consulate needs the country it recruits in."))
    if kind == Kind.CONTRACTING and not (
        fields.get("prefecture") and fields.get("contracting_type")
    ):
        raise DomainError(_("A contracting organisation needs a prefecture and a type."))
    if "time_zone" in fields and not time_zones.is_valid(fields["time_zone"]):
        raise DomainError(_("Choose a valid time zone."), field="time_zone")
    group = Group.objects.create(name=f"org:{kind}:{name_en}"[:150])
    manager_group = Group.objects.create(name=f"managers:{kind}:{name_en}"[:150])
    organisation = Organisation.objects.create(
        kind=kind,
        name_en=name_en,
        name_ja=name_ja,
        group=group,
        manager_group=manager_group,
        **fields,
    )
    _apply_kind_permissions(organisation)
    access.grant("view", organisation, organisation)
    if kind == Kind.MISSION:
        for hq in Organisation.objects.filter(kind=Kind.MOFA):
            access.grant("view", organisation, hq)
    if kind == Kind.MOFA:
        for mission in Organisation.objects.filter(kind=Kind.MISSION):
            access.grant("view", mission, organisation)
    return organisation


@transaction.atomic
def membership_add(
    *, by: User | None, user: User, organisation: Organisation, role: str = Role.STAFF
) -> Membership:
    """Make `user` a member of `organisation`; a person belongs to one organisation."""
    if access.acts_as(user, access.APPLICANT, access.PARTICIPANT):
        raise DomainError(_("Applicants and participants cannot join an organisation."))
    if Membership.objects.filter(user=user).exclude(organisation=organisation).exists():
        raise DomainError(_("This person already belongs to another organisation."))
    membership, _created = Membership.objects.update_or_create(
        user=user, defaults={"organisation": organisation, "role": role}
    )
    user.groups.add(organisation.group)
    person_time_zone_default(user=user, organisation=organisation)
    if role == Role.MANAGER:
        user.groups.add(organisation.manager_group)
    else:
        user.groups.remove(organisation.manager_group)
    _sync_admin_access(user=user, organisation=organisation, role=role)
    access.forget(user)
    if _created:
        notification_record(
            recipient=user,
            kind="membership_added",
            context={
                "organisation": organisation.pk,
                "organisation_en": organisation.name_en,
                "organisation_ja": organisation.name_ja,
            },
            key=f"membership_added:{membership.pk}",
        )
    return membership


CLAIR_ADMIN_GROUP = "CLAIR administrators"
# CLAIR managers answer for the shared data: in the admin they read every record and
# its change history, and manage organisations and their object permissions.
CLAIR_ADMIN_PERMISSIONS = [
    ("core", "view_organisation"),
    ("core", "change_organisation"),
    ("core", "view_membership"),
    ("core", "view_user"),
    ("core", "view_programmeyear"),
    ("core", "change_programmeyear"),
    ("core", "view_country"),
    ("core", "view_prefecture"),
    ("notifications", "view_notification"),
]


def _clair_admin_group() -> Group:
    group, created = Group.objects.get_or_create(name=CLAIR_ADMIN_GROUP)
    if created:
        for app_label, codename in CLAIR_ADMIN_PERMISSIONS:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    return group


def _sync_admin_access(*, user: User, organisation: Organisation, role: str) -> None:
    is_clair_manager = organisation.kind == Kind.CLAIR and role == Role.MANAGER
    group = _clair_admin_group()
    if is_clair_manager:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    if user.is_staff != is_clair_manager and not user.is_superuser:
        user.is_staff = is_clair_manager
        user.save(update_fields=["is_staff"])


@transaction.atomic
def membership_remove(*, by: User | None, membership: Membership) -> None:
    user = membership.user
    user.groups.remove(
        membership.organisation.group, membership.organisation.manager_group, _clair_admin_group()
    )
    membership.delete()
    access.forget(user)
    if user.is_staff and not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])


@transaction.atomic
def person_create(
    *,
    username: str,
    email: str,
    password: str,
    person_role: str = "",
    first_name: str = "",
    last_name: str = "",
    language: str = Language.ENGLISH,
    is_active: bool = True,
    time_zone: str = "",
    organisation: Organisation | None = None,
) -> User:
    """A new account. Its time zone is `time_zone` if the person chose one, else the zone
    of `organisation` (the mission an applicant applies through), else Japan's; joining
    an organisation's staff or applying through a mission later sets it too, until the
    person chooses their own (`user_settings_update`)."""
    if person_role not in PersonRole.values:
        raise DomainError(_("Unknown role."))
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("That username is taken."), field="username")
    if time_zone and not time_zones.is_valid(time_zone):
        raise DomainError(_("Choose a valid time zone."), field="time_zone")
    default_zone = organisation.time_zone if organisation is not None else time_zones.DEFAULT
    return User.objects.create_user(
        username=username,
        email=email,
        password=password,
        person_role=person_role,
        first_name=first_name,
        last_name=last_name,
        language=language,
        is_active=is_active,
        time_zone=time_zone or default_zone,
        time_zone_chosen=bool(time_zone),
    )


def person_time_zone_default(*, user: User, organisation: Organisation) -> None:
    """`organisation`'s zone becomes `user`'s (they joined its staff, or applied through
    the mission), unless they chose their own zone."""
    if user.time_zone_chosen or not organisation.time_zone:
        return
    if user.time_zone != organisation.time_zone:
        user.time_zone = organisation.time_zone
        user.save(update_fields=["time_zone"])


# --- signing up: an account that acts only once its email address is proven ---------------

EMAIL_CONFIRM_SALT = "jetadmin.core.email-confirm"
EMAIL_CONFIRM_INVALID = _(
    "This link does not work: it was used already, it has expired, or it was not copied "
    "whole. Sign in with your username and password to get a new one."
)


def _email_confirm_state(user: User) -> str:
    """What a confirmation link is bound to: once the address is confirmed (or changed)
    the state differs and every earlier link stops working."""
    value = f"{user.pk}:{user.email}:{user.email_confirmed_at}:{user.is_active}"
    return salted_hmac(EMAIL_CONFIRM_SALT, value).hexdigest()[:32]


def email_confirm_token(user: User) -> str:
    """A signed, timestamped token for `user`'s confirmation link."""
    return signing.dumps(
        {"u": user.pk, "s": _email_confirm_state(user)}, salt=EMAIL_CONFIRM_SALT, compress=True
    )


def _email_confirm_link(user: User) -> str:
    return settings.SITE_URL + reverse("email-confirm") + "?" + f"token={email_confirm_token(user)}"


@transaction.atomic
def email_confirm_send(*, user: User) -> None:
    """Email `user` a link that confirms their address (through the outbox: it goes after
    commit). At most one per ten minutes, however often it is asked for."""
    if user.email_confirmed_at is not None:
        return
    window = int(timezone.now().timestamp() // 600)
    notification_record(
        recipient=user,
        kind="email_confirm",
        context={
            "link": _email_confirm_link(user),
            "hours": settings.EMAIL_CONFIRM_HOURS,
            "username": user.username,
        },
        key=f"email_confirm:{window}",
    )


@transaction.atomic
def applicant_sign_up(
    *,
    username: str,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    language: str,
) -> User:
    """An applicant's own account. It cannot sign in or act until the person follows the
    link emailed to `email`."""
    user = person_create(
        username=username,
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        person_role=PersonRole.APPLICANT,
        language=language,
        is_active=False,
    )
    email_confirm_send(user=user)
    return user


def email_confirm_pending(*, username: str, password: str) -> User | None:
    """The account awaiting confirmation that these credentials open, if any (signing in
    is refused for it; the sign-in page says why and sends a new link)."""
    user = User.objects.filter(
        username=username, is_active=False, email_confirmed_at__isnull=True
    ).first()
    if user is None or not user.check_password(password):
        return None
    return user


@transaction.atomic
def email_confirm(*, token: str) -> User:
    """Follow a confirmation link: the address is proven and the account may act. Each
    link works once, for EMAIL_CONFIRM_HOURS."""
    try:
        data = signing.loads(
            token,
            salt=EMAIL_CONFIRM_SALT,
            max_age=timedelta(hours=settings.EMAIL_CONFIRM_HOURS),
        )
        user = User.objects.select_for_update().get(pk=data["u"])
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError, ValueError):
        raise DomainError(EMAIL_CONFIRM_INVALID, field="token") from None
    if user.email_confirmed_at is not None or data.get("s") != _email_confirm_state(user):
        raise DomainError(EMAIL_CONFIRM_INVALID, field="token")
    user.email_confirmed_at = timezone.now()
    user.is_active = True
    user.save(update_fields=["email_confirmed_at", "is_active"])
    return user


# --- API tokens ------------------------------------------------------------------------------


@transaction.atomic
def api_token_create(*, user: User) -> tuple[AuthToken, str]:
    """A new API token for `user` (one per device or script; the others keep working).
    Only its hash is stored: the token itself is returned once, here. The user's expired
    tokens go at the same time, so a script that signs in on every run leaves no pile."""
    AuthToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
    return AuthToken.objects.create(user=user)


@transaction.atomic
def api_token_revoke(*, by: User, token: AuthToken) -> None:
    """Revoke one token (signing out, or another device's from the list)."""
    access.require(by, "delete", token)
    token.delete()


def api_tokens_expired_delete() -> int:
    """Delete every expired API token (the beat task's; each call refuses its own)."""
    deleted, _by_model = AuthToken.objects.filter(expiry__lte=timezone.now()).delete()
    return deleted


def api_tokens_revoke_all(*, user: User) -> int:
    """End every API token of `user` (their password changed)."""
    deleted, _by_model = AuthToken.objects.filter(user=user.pk).delete()
    return deleted


@transaction.atomic
def user_settings_update(*, user: User, time_zone: str | None = None, language: str | None = None):
    """A person's own settings: the zone their times are shown in (any IANA zone; once
    chosen, a mission's zone no longer replaces it) and their language."""
    fields = []
    if time_zone is not None:
        if not time_zones.is_valid(time_zone):
            raise DomainError(_("Choose a valid time zone."), field="time_zone")
        if user.time_zone != time_zone or not user.time_zone_chosen:
            user.time_zone = time_zone
            user.time_zone_chosen = True
            fields += ["time_zone", "time_zone_chosen"]
    if language is not None:
        if language not in Language.values:
            raise DomainError(_("Unknown language."), field="language")
        if user.language != language:
            user.language = language
            fields.append("language")
    if fields:
        user.save(update_fields=fields)
    return user


@transaction.atomic
def user_language_set(*, user: User, language: str) -> None:
    if language not in Language.values:
        raise DomainError(_("Unknown language."))
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def password_changed_notify(*, user: User) -> None:
    """Tell the person their password changed, so a change they did not make is noticed."""
    notification_record(
        recipient=user,
        kind="password_changed",
        context={},
        key=None,
    )


# --- saved filters of a list ----------------------------------------------------------------


def list_query_clean(query: str) -> str:
    """A list's query string as a saved filter or a "back" link keeps it: without the
    page number (the rows move) and without a leading "?"."""
    from django.http import QueryDict

    params = QueryDict(query.lstrip("?"), mutable=True)
    params.pop("page", None)
    return params.urlencode()


def local_list_path(path: str) -> bool:
    """Whether `path` is a path of this site (never another host, nor a scheme)."""
    return bool(path) and path.startswith("/") and not path.startswith(("//", "/\\"))


@transaction.atomic
def saved_filter_save(*, by: User, path: str, query: str, name: str) -> SavedFilter:
    """Save the filters of a list under a name (the same name again replaces them)."""
    access.require_allowed(by, "add", SavedFilter)
    name = name.strip()
    if not name:
        raise DomainError(_("Give the saved filter a name."), field="name")
    if len(name) > SavedFilter._meta.get_field("name").max_length:
        raise DomainError(_("The name is too long."), field="name")
    if not local_list_path(path) or "?" in path or len(path) > 200:
        raise DomainError(_("This list cannot be saved."), field="path")
    query = list_query_clean(query)
    if len(query) > SavedFilter._meta.get_field("query").max_length:
        raise DomainError(_("These filters are too long to save."), field="query")
    saved, _created = SavedFilter.objects.update_or_create(
        user=by, path=path, name=name, defaults={"query": query}
    )
    return saved


@transaction.atomic
def saved_filter_delete(*, by: User, saved_filter: SavedFilter) -> None:
    """Delete one of one's own saved filters."""
    access.require(by, "delete", saved_filter)
    saved_filter.delete()
