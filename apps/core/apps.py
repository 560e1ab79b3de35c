from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("Organisations and people")

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from apps.core.signin import signin_failed

        user_login_failed.connect(signin_failed, dispatch_uid="core-signin-failures-per-address")
