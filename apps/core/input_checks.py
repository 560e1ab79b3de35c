"""Text that cannot be stored is refused at the edges, once, before any view sees it.

PostgreSQL's text types refuse the NUL character, and a lone UTF-16 surrogate (which JSON
can spell as "\\ud800") cannot be encoded for the database at all: either would reach a
query as an error and answer 500. The query string and page forms are checked by
`InputCheckMiddleware` below, API bodies by the parsers of
`apps.core.api.parsers`; both use the functions here and say the same thing.
"""

import re
from collections.abc import Iterable

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

VALUE_REFUSED = _(
    "This value contains a character that is not allowed (a NUL character or an "
    "unpaired surrogate)."
)
NAME_REFUSED = _(
    "A field or parameter name contains a character that is not allowed (a NUL "
    "character or an unpaired surrogate)."
)
PATH_REFUSED = _("The address contains a character that is not allowed (a NUL character).")


def unstorable(text: str) -> bool:
    return bool(UNSTORABLE.search(text))


def pairs_problem(pairs: Iterable[tuple[str, str]]) -> dict | None:
    """The error (DRF's shape: {field: [message]}, messages still lazy) for the first name
    or value that cannot be stored, or None when all can."""
    for name, value in pairs:
        if unstorable(name):
            return {"detail": NAME_REFUSED}
        if isinstance(value, str) and unstorable(value):
            return {name: [VALUE_REFUSED]}
    return None


class InputCheckMiddleware:
    """A NUL character in the address, the query string or a page form's fields answers 400
    with what was wrong, in the person's language: JSON under /api/, the error page
    elsewhere. API bodies are checked by the API's parsers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self.problem(request)
        if problem is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            with translation.override(_api_caller_language(request)):
                return JsonResponse(_translated(problem), status=400)
        message = next(iter(_translated(problem).values()))
        if isinstance(message, list):
            message = message[0]
        return render(request, "400.html", {"message": message}, status=400)

    @staticmethod
    def problem(request) -> dict | None:
        if unstorable(request.path):
            return {"detail": PATH_REFUSED}
        pairs = [(name, value) for name, values in request.GET.lists() for value in values]
        if not request.path.startswith("/api/") and request.method == "POST":
            pairs += [(name, value) for name, values in request.POST.lists() for value in values]
            pairs += [
                (name, upload.name or "")
                for name, uploads in request.FILES.lists()
                for upload in uploads
            ]
        return pairs_problem(pairs)


def _translated(problem: dict) -> dict:
    return {
        name: [str(m) for m in message] if isinstance(message, list) else str(message)
        for name, message in problem.items()
    }


def _api_caller_language(request) -> str:
    """The API caller's saved language. DRF authenticates inside the view, so a token's
    owner is unknown here; ask the API's own authenticators (only on this error path)."""
    from rest_framework.exceptions import APIException
    from rest_framework.request import Request
    from rest_framework.settings import api_settings

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        authenticators = [cls() for cls in api_settings.DEFAULT_AUTHENTICATION_CLASSES]
        try:
            user = Request(request, authenticators=authenticators).user
        except APIException:
            user = None
    language = getattr(user, "language", "") if user is not None else ""
    return language or translation.get_language() or "en"
