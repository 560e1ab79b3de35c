"""The calendar feed's secret address: /calendar/<token>.ics, no sign-in."""

from django.urls import path

from apps.events import calendar

app_name = "calendar"
urlpatterns = [
    path("<str:token>.ics", calendar.calendar_feed, name="calendar-feed"),
]
