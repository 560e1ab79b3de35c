"""The admin: object permissions through guardian, and every change's history, for
CLAIR managers who answer for the data."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from apps.core import time_zones
from apps.core.models import Country, Membership, Organisation, Prefecture, ProgrammeYear, User

admin.site.site_header = _("jetadmin administration")
admin.site.site_title = _("jetadmin")


class GuardedHistoryAdmin(GuardedModelAdmin, SimpleHistoryAdmin):
    pass


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


class OrganisationAdminForm(forms.ModelForm):
    """The zone from the common ones (apps/core/time_zones.py); left out, it stays."""

    time_zone = forms.ChoiceField(label=_("time zone"), required=False)

    class Meta:
        model = Organisation
        fields = "__all__"  # noqa: DJ007  (the admin lays out every field, as before)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zones.choices(self.instance.time_zone)

    def clean_time_zone(self):
        return self.cleaned_data.get("time_zone") or self.instance.time_zone or time_zones.DEFAULT


@admin.register(Organisation)
class OrganisationAdmin(GuardedHistoryAdmin):
    form = OrganisationAdminForm
    list_display = ["name_en", "name_ja", "kind", "country", "prefecture", "contracting_type"]
    list_filter = ["kind", "contracting_type", "prefecture__region"]
    search_fields = ["name_en", "name_ja", "municipality"]
    list_select_related = ["country", "prefecture"]
    readonly_fields = ["group"]
    inlines = [MembershipInline]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "person_role", "is_active"]
    list_filter = ["person_role", "is_staff", "is_active", "language"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("jetadmin"), {"fields": ("language", "person_role")}),
    )


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation__kind"]
    raw_id_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]


@admin.register(ProgrammeYear)
class ProgrammeYearAdmin(SimpleHistoryAdmin):
    list_display = ["year", "applications_open", "application_deadline", "is_current"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_ja"]
    search_fields = ["code", "name_en", "name_ja"]


@admin.register(Prefecture)
class PrefectureAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_ja", "region"]
    list_filter = ["region"]
