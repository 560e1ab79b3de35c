"""English and Japanese: the switch, its memory, and a complete catalogue."""

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
