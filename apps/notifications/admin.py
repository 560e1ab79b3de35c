from django.contrib import admin

from apps.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["state", "kind"]
    raw_id_fields = ["recipient"]
    readonly_fields = ["key", "attempts", "last_error", "sent_at", "read_at"]
    list_select_related = ["recipient"]

    def get_queryset(self, request):
        # That a counselling notice exists would tell that a confidential support case
        # exists: only superusers see those rows.
        queryset = super().get_queryset(request)
        if not request.user.is_superuser:
            queryset = queryset.exclude(kind__startswith="support_")
        return queryset
