"""The API's parsers: DRF's, refusing with a 400 what would otherwise fail deeper down.

- JSON larger than DATA_UPLOAD_MAX_MEMORY_SIZE (DRF reads the stream itself, so Django's
  limit on request bodies never applies to it) or nested deeper than MAX_JSON_DEPTH (the
  JSON decoder and every serializer after it recurse: 50,000 nested lists were a
  RecursionError, even before sign-in).
- Names and values that PostgreSQL cannot store (apps.core.input_checks), in JSON keys and
  values and in form fields, named in the answer like any invalid field.
"""

import io

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers

from apps.core import input_checks

MAX_JSON_DEPTH = 32

TOO_LARGE = _("The request body is too large.")
TOO_DEEP = _("The JSON is nested too deeply (at most %(depth)d levels).")


def _json_problem(data) -> dict | None:
    """Walk the parsed document without recursion: its depth, then every key and string."""
    stack = [(data, 1, None)]
    while stack:
        value, depth, field = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return {"detail": TOO_DEEP % {"depth": MAX_JSON_DEPTH}}
        if isinstance(value, dict):
            for key, item in value.items():
                if input_checks.unstorable(key):
                    return {"detail": input_checks.NAME_REFUSED}
                stack.append((item, depth + 1, field or key))
        elif isinstance(value, list):
            stack.extend((item, depth + 1, field) for item in value)
        elif isinstance(value, str) and input_checks.unstorable(value):
            return {field or "detail": [input_checks.VALUE_REFUSED]}
    return None


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read(limit + 1 if limit is not None else -1)
        if limit is not None and len(body) > limit:
            raise exceptions.ParseError(TOO_LARGE)
        try:
            data = super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(TOO_DEEP % {"depth": MAX_JSON_DEPTH}) from None
        problem = _json_problem(data)
        if problem is not None:
            raise exceptions.ValidationError(problem)
        return data


def _form_problem(data, files) -> dict | None:
    pairs = [(name, value) for name, values in data.lists() for value in values]
    pairs += [(name, upload.name or "") for name, uploads in files.lists() for upload in uploads]
    return input_checks.pairs_problem(pairs)


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        problem = input_checks.pairs_problem(
            (name, value) for name, values in data.lists() for value in values
        )
        if problem is not None:
            raise exceptions.ValidationError(problem)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        problem = _form_problem(result.data, result.files)
        if problem is not None:
            raise exceptions.ValidationError(problem)
        return result
