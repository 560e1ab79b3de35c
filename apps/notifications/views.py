from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.views import View
from django.views.generic import ListView

from apps.notifications import selectors, services
from apps.notifications.notice_texts import notice_templates_attach


class InboxView(LoginRequiredMixin, ListView):
    template_name = "notifications/inbox.html"
    context_object_name = "notifications"
    paginate_by = 30

    def get_queryset(self):
        return selectors.notification_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The missions' own wordings of the page's notices, in one query.
        notice_templates_attach(context["notifications"])
        return context


class NotificationReadView(LoginRequiredMixin, View):
    def post(self, request, pk):
        notification = selectors.notification_get(user=request.user, pk=pk)
        services.notification_mark_read(user=request.user, notification=notification)
        if request.htmx:
            from django.shortcuts import render

            return render(
                request, "notifications/_notification.html", {"notification": notification}
            )
        return redirect("notifications:inbox")


class NotificationReadAllView(LoginRequiredMixin, View):
    def post(self, request):
        services.notifications_mark_all_read(user=request.user)
        return redirect("notifications:inbox")
