from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from .models import Camp, PasswordReset, SensitiveAccessLog, User
from .services.logins import login_disabled, password_reset_record

# Django admin is for superusers only: the app's own pages serve every role.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser
admin.site.site_header = "南太湖新锐特训营 · 系统管理"


class NoRevertHistoryAdmin(SimpleHistoryAdmin):
    """History to read, never to revert: for models whose changes must go through the app's
    services. simple-history's `revert_disabled` only hides the button, so the form refuses
    the POST itself."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("角色", {"fields": ("full_name", "role")}))
    list_display = ("username", "full_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_superuser")
    search_fields = ("username", "full_name")

    def user_change_password(self, request, id, form_url=""):
        """A superuser setting someone's password is a reset like a staff member's: recorded,
        and its owner told at their next login."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            # Django sends to the user's page once the password is set, back to the form if not.
            done = response.status_code == 302 and response["Location"] != request.get_full_path()
            user = self.get_object(request, unquote(id))
            if request.method == "POST" and done and user is not None and user != request.user:
                password_reset_record(user=user, by=request.user, kind=PasswordReset.Kind.RESET)
        return response

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            login_disabled(user=obj)


@admin.register(Camp)
class CampAdmin(NoRevertHistoryAdmin):
    list_display = ("code", "name", "year", "capacity", "status")
    # A camp is made by camp_create (its groups, scheme and targets with it), and its year and
    # start month, which decide the training days and when deductions start, change through the
    # camp's own page (camp_update): the admin neither adds a camp, re-dates it nor reverts it.
    # The leave deadline changes on the attendance rules page, which recomputes the deductions.
    readonly_fields = ("year", "start_month", "leave_close_days")

    def has_add_permission(self, request):
        return False


@admin.register(SensitiveAccessLog)
class SensitiveAccessLogAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "action", "target")
    readonly_fields = ("at", "user", "action", "target", "detail")


@admin.register(PasswordReset)
class PasswordResetAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "kind", "by", "by_role")
    list_filter = ("kind", "by_role")
    search_fields = ("user__username", "user__full_name", "by__username")
    readonly_fields = ("at", "user", "kind", "by", "by_role")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
