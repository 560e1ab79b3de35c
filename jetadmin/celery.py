"""The Celery application: configured from Django settings under the CELERY_ namespace."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jetadmin.settings.local")

# DjangoTask gives every task delay_on_commit(), so work is never queued for a
# transaction that is later rolled back.
app = Celery("jetadmin", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
