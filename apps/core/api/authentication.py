"""API token authentication: django-rest-knox's, with two queries less on every call.

knox reads every other token of the person on each authenticated call, to delete the
expired ones among them: a query per request that grows with the person's tokens. Here a
call looks at its own token only (expired: deleted and refused, as knox does), and the
other expired tokens are deleted by the beat task `api_tokens_sweep` (apps/core/tasks.py).
The token's query also brings the person's membership and organisation, which every
scoped list reads next (`User.kind`), in the same round trip. What a token lets through
is unchanged: tests/core/test_api_tokens.py.
"""

import binascii
from hmac import compare_digest

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox import auth
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework import exceptions


class TokenAuthentication(auth.TokenAuthentication):
    def authenticate_credentials(self, token):
        message = _("Invalid token.")
        token = token.decode("utf-8")
        candidates = (
            get_token_model()
            .objects.filter(token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH])
            .select_related("user__membership__organisation")
        )
        for auth_token in candidates:
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error):
                raise exceptions.AuthenticationFailed(message) from None
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                user = auth_token.user
                try:
                    membership = user.membership
                except ObjectDoesNotExist:
                    membership = None
                user.__dict__["membership_or_none"] = membership
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(message)

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False
