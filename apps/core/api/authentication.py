"""API token authentication: django-rest-knox's, with two queries less on every call.

knox reads every other token of the person on each authenticated call, to delete the
expired ones among them: a query per request that grows with the person's tokens. Here a
call looks at its own token only (expired: deleted and refused, as knox does), and the
other expired tokens are deleted by the beat task `api_tokens_sweep` (apps/core/tasks.py).
The token's query also brings the person's membership and organisation, which every
scoped list reads next (`User.kind`), in the same round trip. What a token lets through
is unchanged: tests/core/test_api_tokens.py.

A token that checked out is remembered in the shared cache, under the digest of the
secret, for a minute (knox's MIN_REFRESH_INTERVAL, the step by which its expiry moves):
the query above (four tables, and the ORM's compiling of it) was a third of the time of
the cheapest API answer. A remembered token is still refused once its expiry passes, and
the entry goes the moment the token is deleted (sign-out, revoke, password change, the
sweep) or its person, their membership or its organisation is saved or deleted.
"""

import binascii
import functools
import logging
from hmac import compare_digest

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox import auth
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework import exceptions

from apps.core import access

logger = logging.getLogger(__name__)
CACHE_PREFIX = "api-token:"


def _cache(operation: str, *args):
    """The shared cache, or nothing when it is unreachable: every call then reads the
    database, as before the cache; none is refused for it."""
    try:
        return getattr(cache, operation)(*args)
    except Exception:
        logger.warning("API token cache unreachable (%s): read from the database", operation)
        return None


def cache_key(digest: str) -> str:
    return CACHE_PREFIX + digest


def forget_tokens(user_ids) -> None:
    """Drop the remembered tokens of these people (their account or membership changed)."""
    digests = (
        get_token_model().objects.filter(user_id__in=user_ids).values_list("digest", flat=True)
    )
    _cache("delete_many", [cache_key(digest) for digest in digests])


class TokenAuthentication(auth.TokenAuthentication):
    def authenticate_credentials(self, token):
        message = _("Invalid token.")
        token = token.decode("utf-8")
        try:
            digest = hash_token(token)
        except (TypeError, binascii.Error):
            raise exceptions.AuthenticationFailed(message) from None
        remembered = _cache("get", cache_key(digest))
        if remembered is not None and (
            remembered.expiry is None or remembered.expiry >= timezone.now()
        ):
            return self._accepted(remembered)
        return self._from_database(token, digest, message)

    def _from_database(self, token: str, digest: str, message):
        candidates = (
            get_token_model()
            .objects.filter(token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH])
            .select_related("user__membership__organisation")
        )
        for auth_token in candidates:
            if self._cleanup_token(auth_token):
                continue
            if compare_digest(digest, auth_token.digest):
                user = auth_token.user
                try:
                    membership = user.membership
                except ObjectDoesNotExist:
                    membership = None
                user.__dict__["membership_or_none"] = membership
                # Their groups and model-wide permissions, which every scoped list reads
                # next: remembered with the token (and forgotten when either changes).
                access.memberships(user)
                return self._accepted(auth_token, remember=True)
        raise exceptions.AuthenticationFailed(message)

    def _accepted(self, auth_token, *, remember: bool = False):
        answer = self.validate_user(auth_token)
        if remember:
            # The expiry moves on here, from the database's copy, at most once a minute
            # (knox saves it no more often); a remembered token is not renewed again
            # until it is read afresh.
            if knox_settings.AUTO_REFRESH and auth_token.expiry:
                self.renew_token(auth_token)
            ttl = knox_settings.MIN_REFRESH_INTERVAL
            _cache("set", cache_key(auth_token.digest), auth_token, ttl)
        return answer

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False


# --- keeping the remembered tokens true (connected in CoreConfig.ready) -------------------


def token_deleted(sender, instance, **kwargs) -> None:
    _cache("delete", cache_key(instance.digest))


def person_changed(sender, instance, created=False, **kwargs) -> None:
    if not created:  # a new account has no token yet
        forget_tokens([instance.pk])


def membership_changed(sender, instance, created=False, **kwargs) -> None:
    forget_tokens([instance.user_id])


def personal_grant_changed(sender, instance, **kwargs) -> None:
    """A personal grant given or taken: their remembered grant ids are out of date, now and
    (for a request elsewhere that read them before this commits) once it is committed."""
    access.personal_grant_changed(instance.user_id)
    forget_tokens([instance.user_id])
    transaction.on_commit(functools.partial(forget_tokens, [instance.user_id]))


def organisation_changed(sender, instance, created=False, **kwargs) -> None:
    if not created:
        forget_tokens(instance.memberships.values("user_id"))


def groups_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """A person joined or left a group (`reverse`: people were added to a group)."""
    if not action.startswith("post_"):
        return
    if not reverse:
        forget_tokens([instance.pk])
    elif pk_set is not None:
        forget_tokens(pk_set)
    else:  # a group cleared of everyone
        forget_tokens(instance.user_set.values("pk"))


def permissions_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """A group's or a person's model-wide permissions changed."""
    if not action.startswith("post_") or reverse:
        return
    if hasattr(instance, "user_set"):  # a group
        forget_tokens(instance.user_set.values("pk"))
    else:
        forget_tokens([instance.pk])
