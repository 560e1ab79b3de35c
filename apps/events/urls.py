"""Event pages, mounted at /programme/ (their addresses are older than the app)."""

from django.urls import path

from apps.events import views as views_events

app_name = "events"
# Events: organisers, presenters and the people who attend.
urlpatterns = [
    path("events/", views_events.EventListView.as_view(), name="event-list"),
    path("events/new/", views_events.EventCreateView.as_view(), name="event-create"),
    path("events/<int:pk>/", views_events.EventDetailView.as_view(), name="event-detail"),
    path("events/<int:pk>/edit/", views_events.EventEditView.as_view(), name="event-edit"),
    path(
        "events/<int:pk>/sessions/new/",
        views_events.SessionCreateView.as_view(),
        name="session-create",
    ),
    path("events/<int:pk>/check-in/", views_events.CheckInPageView.as_view(), name="check-in"),
    path("events/<int:pk>/timetable/", views_events.TimetableView.as_view(), name="timetable"),
    path(
        "events/<int:pk>/calendar.ics",
        views_events.EventCalendarView.as_view(),
        name="event-calendar",
    ),
    path("events/<int:pk>/register/", views_events.RegisterView.as_view(), name="event-register"),
    path(
        "events/<int:pk>/registrations/export/",
        views_events.RegistrationsExportView.as_view(),
        name="registrations-export",
    ),
    path("sessions/<int:pk>/edit/", views_events.SessionEditView.as_view(), name="session-edit"),
    path(
        "sessions/<int:pk>/delete/",
        views_events.SessionDeleteView.as_view(),
        name="session-delete",
    ),
    path(
        "registrations/<int:pk>/cancel/",
        views_events.RegistrationCancelView.as_view(),
        name="registration-cancel",
    ),
    path(
        "registrations/<int:pk>/check-in/",
        views_events.CheckInView.as_view(),
        name="registration-check-in",
    ),
    path(
        "registrations/<int:pk>/check-in/undo/",
        views_events.CheckInUndoView.as_view(),
        name="registration-check-in-undo",
    ),
    path(
        "registrations/<int:pk>/promote/",
        views_events.PromoteView.as_view(),
        name="registration-promote",
    ),
    path("schedule/", views_events.ScheduleView.as_view(), name="schedule"),
    path(
        "schedule/calendar/reset/",
        views_events.CalendarFeedResetView.as_view(),
        name="calendar-feed-reset",
    ),
]
