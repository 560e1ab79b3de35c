"""The API's patterns are grouped by their first segment (jetadmin/api.py,
by_first_segment) so that Django passes most of them by with one string comparison; every
path must still reach the view, with the arguments, that the flat list gives it."""

import itertools

from django.urls import Resolver404, URLResolver
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.regex_helper import normalize

from jetadmin import api

SAMPLES = {"format": ["json", "csv"], "year": ["2026"]}
SAMPLE = ["7", "abc"]
# Every literal segment of the API's paths: as a first argument ("applications/mine/" read
# by the detail route as the id "mine") they find where one pattern stands before another.
WORDS = sorted(
    {
        word
        for pattern in api.flat_urlpatterns
        for word in str(pattern.pattern).replace("^", "").split("/")
        if word.replace("-", "").isalpha()
    }
)


def _values(names) -> list[tuple]:
    choices = [SAMPLES.get(name, SAMPLE) + (WORDS if not i else []) for i, name in enumerate(names)]
    return list(itertools.product(*choices))


def _paths(pattern) -> list[str]:
    """Paths the pattern matches, one per sample value of its arguments."""
    if isinstance(pattern.pattern, RoutePattern):
        route = str(pattern.pattern)
        found = []
        names = list(pattern.pattern.converters)
        for values in _values(names):
            path = route
            for name, value in zip(names, values, strict=True):
                converter = pattern.pattern.converters[name]
                path = _replace_converter(path, name, converter.to_url(value))
            found.append(path)
        return found
    assert isinstance(pattern.pattern, RegexPattern)
    found = []
    for template, names in normalize(pattern.pattern._regex):
        for values in _values(names):
            found.append(template % dict(zip(names, values, strict=True)))
    return found


def _replace_converter(route: str, name: str, value: str) -> str:
    start = route.index("<")
    while not route[start:].split(">")[0].endswith(name):
        start = route.index("<", start + 1)
    end = route.index(">", start)
    return route[:start] + value + route[end + 1 :]


def _answer(resolver, path):
    try:
        match = resolver.resolve(path)
    except Resolver404:
        return None
    return match.func, match.args, match.kwargs, match.url_name


def test_every_api_path_reaches_the_same_view_as_in_the_flat_list():
    flat = URLResolver(RegexPattern(r"^/"), api.flat_urlpatterns)
    grouped = URLResolver(RegexPattern(r"^/"), api.urlpatterns)
    checked = 0
    for pattern in api.flat_urlpatterns:
        for path in _paths(pattern):
            if pattern.resolve(path) is None:
                continue  # a sample its converter refuses
            expected = _answer(flat, "/" + path)
            assert expected is not None, path
            assert _answer(grouped, "/" + path) == expected, path
            checked += 1
    # Each pattern was reached by at least one path of its own.
    assert checked >= len(api.flat_urlpatterns)
    # And the grouping did its work: few patterns left at the top.
    assert len(api.urlpatterns) < len(api.flat_urlpatterns) / 4


def test_a_path_no_pattern_matches_is_still_not_found():
    grouped = URLResolver(RegexPattern(r"^/"), api.urlpatterns)
    for path in ["/contracts/x/y/z/", "/contractsx/", "/nowhere/", "/contracts.json/extra"]:
        assert _answer(grouped, path) is None
