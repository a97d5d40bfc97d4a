from django.contrib import admin

from placette.contacts.models import Affiliation, Contact, Tag, TimelineEntry


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
