"""Participating countries and the 47 prefectures."""

from django.db import migrations

from apps.core.reference_data import reference_data_load


def load(apps, schema_editor):
    reference_data_load(apps.get_model("core", "Country"), apps.get_model("core", "Prefecture"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
