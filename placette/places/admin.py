from django.contrib import admin

from placette.places import models


@admin.register(models.PlacesSettings)
class PlacesSettingsAdmin(admin.ModelAdmin):
    list_display = ["network_goal", "goal_year", "updated_at"]


class CriterionInline(admin.TabularInline):
    model = models.Criterion
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.CriteriaVersion)
class CriteriaVersionAdmin(admin.ModelAdmin):
    """Read-only: versions are written from /gestion/lieux/criteres/ (audited, versioned)."""

    list_display = ["number", "state", "adopted_on", "adopted_by"]
    inlines = [CriterionInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "status", "commune_name", "department_code"]
    list_filter = ["kind", "status", "department_code"]
    search_fields = ["name", "commune_name"]
    readonly_fields = ["status"]


@admin.register(models.IndexValue)
class IndexValueAdmin(admin.ModelAdmin):
    list_display = ["kind", "year", "quarter", "value", "published_on"]
    list_filter = ["kind"]


@admin.register(models.Lease)
class LeaseAdmin(admin.ModelAdmin):
    list_display = ["activity", "kind", "starts_on", "ends_on", "current_rent"]
    readonly_fields = ["current_rent"]
