"""The OpenAPI schema says what each operation answers, errors included.

drf-spectacular describes the successful answers of an operation; the errors every
operation can give are added here, from what the operation is, so that a new endpoint is
described truthfully without a decorator of its own:

- 400 everywhere: any address can carry a query string or body the edges refuse (a NUL
  character, JSON nested too deeply), and an invalid field or filter is named;
- 401 and 403 wherever the caller must be signed in (403: the access rule refuses the
  action, or a session's CSRF check fails);
- 404 wherever the path names an object (missing and not visible alike);
- 429 wherever the view is throttled.

A view that answers one of these errors where the rules above do not expect it names it
in `also_answers` (the statistics' unknown `?year=` is a 404); an operation that answers
an error in a shape of its own declares it with `extend_schema(responses=...)`, which
wins.

A request body is described in one encoding: JSON, or multipart/form-data where the
operation takes a file. The API still reads DRF's form encodings everywhere, with DRF's
reading of a form (an optional field sent empty counts as not sent), which a JSON Schema
of the body cannot express; a client that follows the schema never meets the difference.
"""

from drf_spectacular import openapi
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.plumbing import ResolvedComponent, force_instance, is_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny

ERROR = "Error"
VALIDATION_ERROR = "ValidationError"

ERROR_SCHEMA = {
    "type": "object",
    "description": "Why the request was refused, in the caller's language.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "What is wrong with the request: under each invalid field's (or query "
        'parameter\'s) name, its messages; under "detail" or "non_field_errors", what is '
        "wrong with the request as a whole."
    ),
    "additionalProperties": {},
}

DESCRIPTIONS = {
    "400": "The request is malformed or a value is invalid (each named).",
    "401": "Not signed in: no valid token or session.",
    "403": "The signed-in caller may not do this.",
    "404": "No such object, or one the caller may not see.",
    "410": "No longer available (a closed safety check's link).",
    "429": "Too many requests; try again later.",
}


class TokenScheme(KnoxTokenScheme):
    """The API's token authentication is knox's (apps/core/api/authentication.py): the
    same scheme in the schema."""

    target_class = "apps.core.api.authentication.TokenAuthentication"


class AutoSchema(openapi.AutoSchema):
    def map_parsers(self):
        media_types = super().map_parsers()
        preferred = "multipart/form-data" if self._takes_files() else "application/json"
        return [preferred] if preferred in media_types else media_types

    def _takes_files(self) -> bool:
        serializer = force_instance(self.get_request_serializer())
        if not is_serializer(serializer):
            return False
        for field in serializer.fields.values():
            field = getattr(field, "child", field)
            if isinstance(field, serializers.FileField):
                return True
        return False

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._error_response(code)
        return responses

    def _error_codes(self) -> list[str]:
        codes = ["400"]
        if self._needs_sign_in():
            codes += ["401", "403"]
        if "{" in self.path:
            codes.append("404")
        if self.view.get_throttles():
            codes.append("429")
        also = [code for code in getattr(self.view, "also_answers", ()) if code not in codes]
        return sorted(codes + also)

    def _needs_sign_in(self) -> bool:
        permissions = self.view.get_permissions()
        return bool(permissions) and not all(isinstance(p, AllowAny) for p in permissions)

    def _error_response(self, code: str) -> dict:
        name, schema = (
            (VALIDATION_ERROR, VALIDATION_ERROR_SCHEMA) if code == "400" else (ERROR, ERROR_SCHEMA)
        )
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
        )
        self.registry.register_on_missing(component)
        return {
            "description": DESCRIPTIONS[code],
            "content": {"application/json": {"schema": component.ref}},
        }
