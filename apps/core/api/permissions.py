"""The API's half of the access rule: the same `restrict` the pages use."""

from django.http import Http404
from rest_framework import exceptions, permissions, status
from rest_framework.views import exception_handler

from apps.core import access
from apps.core.errors import DomainError

METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class ObjectActionPermission(permissions.IsAuthenticated):
    """Objects reach a view only through a restricted queryset, so one the user cannot
    see is already 404. Here a visible object is checked for the method's action; a view
    declares custom verbs in `action_perms` (e.g. {"decide": "decide_application"})."""

    def has_object_permission(self, request, view, obj):
        action_perms = getattr(view, "action_perms", {})
        perm = action_perms.get(getattr(view, "action", None)) or METHOD_ACTIONS.get(
            request.method, "change"
        )
        if perm == "view":
            return True
        return access.can(request.user, perm, obj)


class RestrictedQuerysetMixin:
    """`get_queryset` must be a selector; a bad id answers 404 like a missing one."""

    permission_classes = [ObjectActionPermission]

    def get_object(self):
        try:
            return super().get_object()
        except (ValueError, TypeError):
            raise Http404 from None


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        data = {"detail": exc.message}
        if exc.field:
            data = {exc.field: [exc.message]}
        exc = exceptions.ValidationError(data)
    response = exception_handler(exc, context)
    if response is not None and response.status_code == status.HTTP_403_FORBIDDEN:
        response.data = {"detail": str(exc.detail) if hasattr(exc, "detail") else ""}
    return response
