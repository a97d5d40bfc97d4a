from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from placette.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "role", "is_board_member", "is_active"]
    list_filter = ["role", "is_board_member", "is_active"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "display_name", "contact"]}),
        ("Rôle", {"fields": ["role", "is_board_member", "is_active"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "password1", "password2", "role"]})]
    raw_id_fields = ["contact"]
    filter_horizontal: list[str] = []


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]
