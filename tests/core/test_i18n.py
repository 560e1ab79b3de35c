"""English and Japanese: the switch, its memory, and a complete catalogue."""

import os
import re
from pathlib import Path

from django.conf import settings


def test_language_switch_changes_the_page_and_sticks(login, participant):
    client = login("participant")
    assert 'lang="en"' in client.get("/participant/").content.decode()

    response = client.post("/language/", {"language": "ja", "next": "/participant/"})
    assert response.status_code == 302
    assert response["Location"] == "/participant/"
    html = client.get("/participant/").content.decode()
    assert '<html lang="ja">' in html
    assert "お知らせ" in html
    participant.refresh_from_db()
    assert participant.language == "ja"

    # A new session on another device opens in Japanese too.
    client.logout()
    client.cookies.clear()
    client.post("/accounts/login/", {"username": "participant", "password": "jet-demo-2027"})
    assert '<html lang="ja">' in client.get("/participant/").content.decode()


def test_anonymous_switch_applies_to_the_login_page_and_is_kept_at_login(client, participant):
    client.post("/language/", {"language": "ja", "next": "/accounts/login/"})
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="ja">' in page
    assert "ログイン" in page
    client.post("/accounts/login/", {"username": "participant", "password": "jet-demo-2027"})
    participant.refresh_from_db()
    assert participant.language == "ja"


def test_switch_refuses_unknown_language_and_foreign_redirect(login, participant):
    client = login("participant")
    response = client.post("/language/", {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    participant.refresh_from_db()
    assert participant.language == "en"


def test_japanese_catalogue_has_no_untranslated_or_fuzzy_entry():
    po = Path(settings.BASE_DIR, "locale", "ja", "LC_MESSAGES", "django.po").read_text("utf-8")
    entries = po.split("\n\n")[1:]
    assert len(entries) > 100
    problems = []
    for entry in entries:
        if "#, fuzzy" in entry or re.search(r"^#,.*fuzzy", entry, re.M):
            problems.append(entry)
            continue
        strs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', entry + "\n", re.M)
        if strs and all("".join(re.findall(r'"(.*)"', s)) == "" for s in strs):
            problems.append(entry)
    assert problems == []


def test_compiled_catalogue_is_up_to_date():
    base = Path(settings.BASE_DIR, "locale", "ja", "LC_MESSAGES")
    assert (base / "django.mo").stat().st_mtime >= (base / "django.po").stat().st_mtime - 1


# --- extraction: every marked string reaches the catalogue, and is translated ----------------
# `make messages` runs makemessages over the source tree. A string reaches the catalogue only
# when it is marked with a name xgettext reads: Django's (gettext, gettext_lazy, pgettext, ...)
# and `_` by default, plus the project's own `_lazy` (apps/core/management/commands/
# makemessages.py). A module that imports a translation function under any other name (the
# support form's `gettext_lazy as _l` did) keeps its strings out of the catalogue, and its page
# stays in English for a Japanese reader however complete the catalogue looks.

TRANSLATION_MODULE = "django.utils.translation"
ONE_ARGUMENT = {"gettext", "gettext_lazy", "gettext_noop"}


def _extracted_one_argument_names() -> set[str]:
    from apps.core.management.commands.makemessages import Command

    extra = {
        option.removeprefix("--keyword=")
        for option in Command.xgettext_options
        if option.startswith("--keyword=") and ":" not in option
    }
    return {"_"} | extra


def _python_sources():
    base = Path(settings.BASE_DIR)
    for root in ("apps", "jetadmin"):
        yield from (base / root).rglob("*.py")


def test_translation_functions_are_imported_under_names_makemessages_reads():
    import ast

    readable = _extracted_one_argument_names()
    hidden = []
    for path in _python_sources():
        tree = ast.parse(path.read_text("utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.ImportFrom) and node.module == TRANSLATION_MODULE):
                continue
            for alias in node.names:
                if alias.asname is None or alias.asname == alias.name:
                    continue
                if alias.name in ONE_ARGUMENT and alias.asname in readable:
                    continue
                relative = path.relative_to(settings.BASE_DIR)
                hidden.append(f"{relative}:{node.lineno} {alias.name} as {alias.asname}")
    assert hidden == [], f"makemessages cannot read these names (use one of {sorted(readable)})"


def _makemessages_arguments() -> list[str]:
    """The --ignore patterns of `make messages`, so the test extracts as the Makefile does."""
    makefile = Path(settings.BASE_DIR, "Makefile").read_text("utf-8")
    line = next(line for line in makefile.splitlines() if "manage.py makemessages" in line)
    return re.findall(r"--ignore=(\S+)", line)


def _source_copy(target: Path, ignores: list[str]) -> None:
    """The project's source as `make messages` reads it, without outputs (.gitignore's
    top-level entries such as /media/ and /test-artifacts/) or hidden directories."""
    import shutil

    base = Path(settings.BASE_DIR)
    outputs = set(re.findall(r"^/([^/\s]+)/?$", (base / ".gitignore").read_text("utf-8"), re.M))
    for entry in base.iterdir():
        if entry.name.startswith(".") or entry.name in outputs or entry.name in ignores:
            continue
        if entry.is_dir():
            shutil.copytree(
                entry, target / entry.name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(entry, target / entry.name)


def _entries(po_text: str) -> set[tuple[str, str, str]]:
    """(context, msgid, plural) of every entry, the header left out."""

    def joined(block: str | None) -> str:
        return "".join(re.findall(r'"(.*)"', block or ""))

    pattern = re.compile(
        r'^(?:msgctxt ((?:".*"\n)+))?msgid ((?:".*"\n)+)(?:msgid_plural ((?:".*"\n)+))?', re.M
    )
    return {
        (joined(ctx), joined(msgid), joined(plural))
        for ctx, msgid, plural in pattern.findall(po_text)
        if joined(msgid)
    }


def _statistics(po: Path) -> str:
    import subprocess

    done = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stderr.strip()


def test_makemessages_leaves_no_untranslated_or_fuzzy_entry(tmp_path, settings, monkeypatch):
    from django.core.management import call_command

    ignores = _makemessages_arguments()
    _source_copy(tmp_path, ignores)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["ja"], no_obsolete=True, ignore_patterns=ignores)

    extracted = tmp_path / "locale" / "ja" / "LC_MESSAGES" / "django.po"
    statistics = _statistics(extracted)
    assert "fuzzy" not in statistics, statistics
    assert "untranslated" not in statistics, statistics
    # ... and the committed catalogue is the one `make messages` writes: no string new in
    # the source is missing from it and none it holds is gone from the source.
    committed = Path(settings.BASE_DIR, "locale", "ja", "LC_MESSAGES", "django.po")
    assert _entries(committed.read_text("utf-8")) == _entries(extracted.read_text("utf-8"))
