from django.contrib import admin

from placette.contacts.models import (
    Affiliation,
    ConsentPurpose,
    ConsentRecord,
    Contact,
    Tag,
    TimelineEntry,
)


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["display_name", "kind", "email", "commune_name", "department_code"]
    list_filter = ["kind", "org_kind"]
    search_fields = ["search_text"]
    readonly_fields = ["display_name", "commune_name", "department_code", "region_code"]


admin.site.register(Tag)
admin.site.register(Affiliation)


@admin.register(TimelineEntry)
class TimelineEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "contact", "kind", "title"]
    raw_id_fields = ["contact", "actor"]


@admin.register(ConsentPurpose)
class ConsentPurposeAdmin(admin.ModelAdmin):
    """Purposes are data: the team adds one, rewords one (with a new version) or stops
    offering it here; records keep the words they were given with."""

    list_display = ["label", "code", "version", "active", "member_can_change", "position"]
    list_editable = ["active", "position"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is None or not obj.records.exists()


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    """Read-only: the ledger is append-only (record acts through the contact's page)."""

    list_display = ["at", "contact", "purpose", "given", "source", "recorded_by"]
    list_filter = ["purpose", "given", "source"]
    raw_id_fields = ["contact", "recorded_by"]
    list_select_related = ["contact", "purpose", "recorded_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
