"""Every page sends a visitor who has not signed in to the sign-in page, with `next` set
to the page they asked for, so that signing in brings them back to it."""

import uuid
from urllib.parse import quote

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Pages anyone may open: they answer without a sign-in.
PUBLIC = {
    "healthz",
    "login",
    "signup",
    "signup-sent",
    "email-confirm",
    "mofa:referee-upload",
    "mofa:referee-done",
    "safety:answer",
    "safety:answer-tap",
    "calendar:calendar-feed",
    "schema",
    "api-docs",
}
# Pages that send a visitor elsewhere without being a page of their own.
ELSEWHERE = {
    "home": "/accounts/login/",  # the start: the sign-in page, nothing to come back to
    "logout": None,  # POST only
    "language-set": None,  # POST only
}


def _pages(patterns=None, namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if inner.startswith(("api:", "admin:")):
                continue
            yield from _pages(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def _dummy_kwargs(pattern: URLPattern) -> dict:
    values = {"int": 1, "uuid": uuid.UUID(int=1), "path": "x", "slug": "x", "str": "x"}
    converters = getattr(pattern.pattern, "converters", {})
    return {
        name: values.get(type(converter).__name__.removesuffix("Converter").lower(), "x")
        for name, converter in converters.items()
    }


def test_every_page_sends_visitors_to_sign_in_and_back(client, db):
    wrong = []
    walked = 0
    for name, pattern in _pages():
        if name in PUBLIC or name.startswith("_errors"):
            continue
        path = reverse(name, kwargs=_dummy_kwargs(pattern))
        walked += 1
        asked = f"{path}?from=mail"
        response = client.get(asked)
        if name in ELSEWHERE:
            expected = ELSEWHERE[name]
            if expected is not None and response.get("Location") != expected:
                wrong.append(f"{name}: {response.status_code} {response.get('Location')}")
            continue
        if response.status_code == 404:
            continue  # the made-up id names nothing (tests/permissions walks real ones)
        expected = f"/accounts/login/?next={quote(asked, safe='/')}"
        if response.status_code != 302 or response["Location"] != expected:
            wrong.append(f"{name} {path}: {response.status_code} {response.get('Location')}")
    assert walked > 100
    assert not wrong, "\n".join(wrong)


def test_the_public_pages_are_real():
    names = {name for name, _pattern in _pages()}
    assert names >= PUBLIC
