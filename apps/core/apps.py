from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("Organisations and people")

    def ready(self):
        from django.contrib.auth.models import Group
        from django.contrib.auth.signals import user_login_failed
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from knox.models import AuthToken

        from apps.core import access
        from apps.core.api import authentication
        from apps.core.models import Membership, Organisation, User
        from apps.core.signin import signin_failed

        user_login_failed.connect(signin_failed, dispatch_uid="core-signin-failures-per-address")
        # API tokens are remembered in the cache (apps/core/api/authentication.py).
        post_delete.connect(
            authentication.token_deleted, sender=AuthToken, dispatch_uid="api-token-deleted"
        )
        for model, receiver in (
            (User, authentication.person_changed),
            (Membership, authentication.membership_changed),
            (Organisation, authentication.organisation_changed),
        ):
            uid = f"api-token-{model._meta.model_name}"
            post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}-saved")
            post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-deleted")
        for model in access.personal_grant_models():
            uid = f"personal-grant-{model._meta.model_name}"
            for signal in (post_save, post_delete):
                signal.connect(
                    authentication.personal_grant_changed, sender=model, dispatch_uid=uid
                )
        m2m_changed.connect(
            authentication.groups_changed,
            sender=User.groups.through,
            dispatch_uid="api-token-groups",
        )
        for through in (Group.permissions.through, User.user_permissions.through):
            m2m_changed.connect(
                authentication.permissions_changed,
                sender=through,
                dispatch_uid=f"api-token-{through._meta.model_name}",
            )
