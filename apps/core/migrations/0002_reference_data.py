"""Participating countries and the 47 prefectures."""

from django.db import migrations

from apps.core.reference_data import COUNTRIES, PREFECTURES


def load(apps, schema_editor):
    Country = apps.get_model("core", "Country")
    Prefecture = apps.get_model("core", "Prefecture")
    for code, name_en, name_ja in COUNTRIES:
        Country.objects.update_or_create(code=code, defaults={"name_en": name_en, "name_ja": name_ja})
    for code, name_en, name_ja, region_en, _region_ja in PREFECTURES:
        Prefecture.objects.update_or_create(
            code=code,
            defaults={
                "name_en": name_en,
                "name_ja": name_ja,
                "region": region_en.upper().replace("-", "_"),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
