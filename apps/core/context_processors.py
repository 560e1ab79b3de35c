from apps.core.navigation import navigation_for
from apps.notifications.selectors import notification_unread_count


def workspace(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_items": navigation_for(user),
        "unread_count": notification_unread_count(user=user),
        "current_organisation": user.organisation,
        "current_membership": user.membership_or_none,
    }
