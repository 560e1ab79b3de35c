"""The production settings module, read in a fresh interpreter (its environment decides
what it holds, and this process has already read the test settings)."""

import os
import subprocess
import sys

from django.conf import settings


def production_settings(
    setting: str = "STORAGES", **environment: str
) -> subprocess.CompletedProcess:
    """Import jetadmin.settings.production with `environment` and print `setting` as JSON."""
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_") and key not in {"MEDIA_STORAGE", "CACHE_URL"}
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, sys; from django.conf import settings; "
            "print(json.dumps(getattr(settings, sys.argv[1])))",
            setting,
        ],
        cwd=settings.BASE_DIR,
        env={
            **inherited,
            "DJANGO_SETTINGS_MODULE": "jetadmin.settings.production",
            "SECRET_KEY": "a-production-secret-key-for-a-test-only-0123456789",
            "ALLOWED_HOSTS": "jetadmin.example",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x",
            "CACHE_URL": "locmemcache://",
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
