from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Camp, SensitiveAccessLog, User

# Django admin is for superusers only: the app's own pages serve every role.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser
admin.site.site_header = "南太湖新锐特训营 · 系统管理"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("角色", {"fields": ("full_name", "role")}))
    list_display = ("username", "full_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_superuser")
    search_fields = ("username", "full_name")


@admin.register(Camp)
class CampAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "year", "capacity", "status")
    # The year and start month decide the training days and when deductions start: they change
    # through the camp's own page (camp_update), never behind its back.
    readonly_fields = ("year", "start_month")


@admin.register(SensitiveAccessLog)
class SensitiveAccessLogAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "action", "target")
    readonly_fields = ("at", "user", "action", "target", "detail")
