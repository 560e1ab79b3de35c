"""THE access rule: who may see or act on which row. Pages and the API both use it.

Object permissions are granted to an organisation's group (rarely to one user) and live
in django-guardian's direct foreign-key tables, one pair per protected model. A list is
filtered by one index-friendly subquery over those tables,
`pk IN (group grants UNION user grants)`, instead of guardian's `get_objects_for_user`,
whose OR of two subqueries makes PostgreSQL walk the whole table.

A row the user may not see answers 404, the same as a row that does not exist. A row the
user may see but not act on answers 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models.expressions import RawSQL
from django.http import Http404
from guardian.shortcuts import assign_perm, remove_perm
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

if TYPE_CHECKING:
    from apps.core.models import Organisation, User

M = TypeVar("M", bound=models.Model)


def _split(perm: str, model: type[models.Model]) -> tuple[str, str]:
    """'view' or 'view_organisation' or 'core.view_organisation' -> (app_label, codename)."""
    opts = model._meta
    if "." in perm:
        app_label, codename = perm.split(".", 1)
        return app_label, codename
    if "_" not in perm:
        return opts.app_label, f"{perm}_{opts.model_name}"
    return opts.app_label, perm


def full_perm(perm: str, model: type[models.Model]) -> str:
    app_label, codename = _split(perm, model)
    return f"{app_label}.{codename}"


def grant(
    perm: str, obj: models.Model, organisation: Organisation, *, managers_only: bool = False
) -> None:
    """Let every member of `organisation` (or only its managers) hold `perm` on `obj`."""
    _, codename = _split(perm, type(obj))
    group = organisation.manager_group if managers_only else organisation.group
    assign_perm(codename, group, obj)


def revoke(
    perm: str, obj: models.Model, organisation: Organisation, *, managers_only: bool = False
) -> None:
    _, codename = _split(perm, type(obj))
    group = organisation.manager_group if managers_only else organisation.group
    remove_perm(codename, group, obj)


def grant_user(perm: str, obj: models.Model, user: User) -> None:
    """A personal grant, for rows that belong to one person (their own application)."""
    _, codename = _split(perm, type(obj))
    assign_perm(codename, user, obj)


def revoke_user(perm: str, obj: models.Model, user: User) -> None:
    _, codename = _split(perm, type(obj))
    remove_perm(codename, user, obj)


def granted_pks(model: type[models.Model], user: User, perm: str) -> RawSQL:
    """The subquery of primary keys `user` holds `perm` on, through group or own grants.

    Written as SQL because the ORM took longer to compile the UNION than PostgreSQL took
    to plan and run it (3.3 ms against 2 ms, bench/access_filter.py). Table names come
    from the models, and the permission is found by its unique (content type, codename).
    """
    _, codename = _split(perm, model)
    content_type_id = ContentType.objects.get_for_model(model).pk
    group_table = get_group_obj_perms_model(model)._meta.db_table
    user_table = get_user_obj_perms_model(model)._meta.db_table
    membership_table = get_user_model().groups.through._meta.db_table
    permission_table = Permission._meta.db_table
    # S608: the interpolated names are table names from model metadata; values are bound.
    permission = f"(SELECT id FROM {permission_table} WHERE content_type_id = %s AND codename = %s)"  # noqa: S608
    sql = (
        f"SELECT content_object_id FROM {group_table} WHERE group_id IN "  # noqa: S608
        f"(SELECT group_id FROM {membership_table} WHERE user_id = %s) "
        f"AND permission_id = {permission} "
        f"UNION SELECT content_object_id FROM {user_table} WHERE user_id = %s "
        f"AND permission_id = {permission}"
    )
    params = [user.pk, content_type_id, codename, user.pk, content_type_id, codename]
    return RawSQL(sql, params)  # noqa: S611


def has_model_perm(user: User, perm: str, model: type[models.Model]) -> bool:
    """A grant over every row of the model (MOFA HQ's read-all, a superuser)."""
    return user.has_perm(full_perm(perm, model))


def restrict(queryset: models.QuerySet[M], user: User | None, perm: str) -> models.QuerySet[M]:
    """The rows of `queryset` that `user` holds `perm` on."""
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    model = queryset.model
    if has_model_perm(user, perm, model):
        return queryset
    return queryset.filter(pk__in=granted_pks(model, user, perm))


def can(user: User | None, perm: str, obj: models.Model) -> bool:
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, perm).exists()


def require(user: User | None, perm: str, obj: models.Model) -> None:
    """403 unless `user` may do `perm` on `obj` (which the caller already let them see)."""
    if not can(user, perm, obj):
        raise PermissionDenied


def get_or_404(queryset: models.QuerySet[M], user: User | None, pk, perm: str = "view") -> M:
    """Fetch and check together: missing and not visible answer the same 404."""
    try:
        return restrict(queryset, user, perm).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
