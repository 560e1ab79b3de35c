"""Sign-up confirms an email address; API tokens move from DRF's to django-rest-knox's.

DRF's tokens never expired and were kept in the clear; nothing reads them any more, so
their table goes (callers sign in again at /api/v1/auth/token/ for a knox token)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_support_course_library_correspondence"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicaluser",
            name="email_confirmed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="email confirmed"),
        ),
        migrations.AddField(
            model_name="user",
            name="email_confirmed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="email confirmed"),
        ),
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop),
    ]
