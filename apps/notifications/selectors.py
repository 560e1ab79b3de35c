from django.db.models import QuerySet
from django.http import Http404

from apps.notifications.models import Notification


def notification_list(*, user) -> QuerySet[Notification]:
    """A person's inbox: only their own notifications, ever."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def notification_get(*, user, pk) -> Notification:
    try:
        return notification_list(user=user).get(pk=pk)
    except (Notification.DoesNotExist, ValueError):
        raise Http404 from None


def notification_unread_count(*, user) -> int:
    return notification_list(user=user).filter(read_at__isnull=True).count()
