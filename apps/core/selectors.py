"""Reads on organisations and people, always filtered by the access rule."""

from django.db.models import Count, QuerySet
from django.utils import timezone
from knox.models import AuthToken

from apps.core import access
from apps.core.models import Job, Organisation, Prefecture, ProgrammeYear, SavedFilter, User
from apps.core.query_shapes import by_shape


def prefecture_list(*, user: User) -> QuerySet[Prefecture]:
    return access.restrict(Prefecture.objects.all(), user, "view").order_by("code")


def organisation_list(*, user: User, kind: str | None = None) -> QuerySet[Organisation]:
    qs = access.restrict(Organisation.objects.all(), user, "view")
    if kind:
        qs = qs.filter(kind=kind)
    return (
        qs.select_related("country", "prefecture")
        .annotate(member_count=Count("memberships"))
        .order_by("kind", "name_en", "pk")
    )


def organisation_get(*, user: User, pk) -> Organisation:
    return access.get_or_404(
        Organisation.objects.select_related("country", "prefecture"), user, pk, "view"
    )


def programme_year_current() -> ProgrammeYear | None:
    # Read by most pages, some more than once: compiled once per shape, as restrict's are.
    return by_shape(ProgrammeYear.objects.filter(is_current=True)).first()


def organisation_staff(*, organisation: Organisation | None) -> QuerySet[User]:
    """The active staff of an organisation: reviewers, panels, people to notify."""
    if organisation is None:
        return User.objects.none()
    return User.objects.filter(membership__organisation=organisation, is_active=True).order_by(
        "last_name", "first_name", "username"
    )


def organisation_counts_by_kind(*, user: User) -> dict[str, int]:
    rows = (
        organisation_list(user=user)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk", distinct=True))
    )
    return {row["kind"]: row["n"] for row in rows}


def contracting_counts_by_prefecture(*, user: User) -> list[dict]:
    """Contracting organisations per prefecture, for the prefectures that have any."""
    return list(
        access.restrict(Organisation.objects.filter(kind="CONTRACTING"), user, "view")
        .order_by("prefecture__code")
        .values("prefecture__code", "prefecture__name_en", "prefecture__name_ja")
        .annotate(n=Count("pk"))
    )


def job_get(*, user: User, pk) -> Job:
    """A job is seen only by the person who started it."""
    from django.http import Http404

    try:
        return Job.objects.get(pk=pk, requested_by_id=user.pk)
    except (Job.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def api_token_list(*, user: User) -> QuerySet[AuthToken]:
    """The caller's own API tokens that still work, newest first (their own even for a
    superuser, whom the access rule lets see every row)."""
    return (
        access.restrict(AuthToken.objects.all(), user, "view")
        .filter(user=user.pk, expiry__gt=timezone.now())
        .order_by("-created", "token_key")
    )


def user_own(*, user: User) -> QuerySet[User]:
    """The signed-in user's own account, and nobody else's."""
    if user is None or not user.is_authenticated:
        return User.objects.none()
    return User.objects.filter(pk=user.pk).select_related("membership__organisation")


def saved_filter_list(*, user: User, path: str | None = None) -> QuerySet[SavedFilter]:
    """The user's own saved filters, of one list (its path) or of all."""
    qs = access.restrict(SavedFilter.objects.all(), user, "view")
    if path is not None:
        qs = qs.filter(path=path)
    return qs.order_by("name", "id")


def saved_filter_get(*, user: User, pk) -> SavedFilter:
    """One of the user's own saved filters; anyone else's answers 404."""
    return access.get_or_404(SavedFilter.objects.all(), user, pk)
