from django.contrib import admin

from apps.notifications.models import Notification
from apps.notifications.services import message_id


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "state", "attempts", "created_at", "sent_at", "last_error"]
    list_filter = ["state", "kind"]
    raw_id_fields = ["recipient"]
    readonly_fields = [
        "key",
        "attempts",
        "claimed_at",
        "last_error",
        "sent_at",
        "read_at",
        "message_id",
    ]

    @admin.display(description="Message-ID")
    def message_id(self, obj) -> str:
        return message_id(obj) if obj.pk else ""

    list_select_related = ["recipient"]

    def get_queryset(self, request):
        # That a counselling notice exists would tell that a confidential support case
        # exists: only superusers see those rows.
        queryset = super().get_queryset(request)
        if not request.user.is_superuser:
            queryset = queryset.exclude(kind__startswith="support_")
        return queryset
