"""Recruitment in the admin: numbers, applications and interview slots, with their
object permissions and history."""

from django.contrib import admin
from guardian.admin import GuardedModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from apps.recruitment.models import AcceptanceNumber, Application, InterviewSlot


@admin.register(AcceptanceNumber)
class AcceptanceNumberAdmin(GuardedModelAdmin, SimpleHistoryAdmin):
    list_display = ["programme_year", "country", "position", "places", "state"]
    list_filter = ["programme_year", "position", "state"]
    list_select_related = ["programme_year", "country"]


@admin.register(Application)
class ApplicationAdmin(GuardedModelAdmin, SimpleHistoryAdmin):
    list_display = ["number", "family_name", "given_names", "mission", "position", "status"]
    list_filter = ["status", "position", "eligibility", "mission"]
    search_fields = ["number", "family_name", "given_names"]
    list_select_related = ["mission", "country"]
    raw_id_fields = ["applicant", "mission", "partner", "decided_by"]
    readonly_fields = ["eligibility_reasons"]
    show_full_result_count = False


@admin.register(InterviewSlot)
class InterviewSlotAdmin(GuardedModelAdmin):
    list_display = ["mission", "starts_at", "ends_at", "capacity"]
    list_filter = ["mission"]
