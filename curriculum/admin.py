"""The curriculum's models in the superusers' admin. Talks are left out on purpose: they are
confidential to the group's counselor and staff, and the admin would show them to any superuser."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from camp.admin import NoRevertHistoryAdmin

from .models import (
    ActivityKind,
    Attendance,
    CalendarArrangement,
    CurriculumTarget,
    Instructor,
    LeaveRequest,
    ResearchTopic,
    Session,
    TaskForce,
    TrainingDay,
    TrainingDayMove,
)


@admin.register(Instructor)
class InstructorAdmin(SimpleHistoryAdmin):
    list_display = ("name", "unit", "title", "source")
    list_filter = ("source",)
    search_fields = ("name", "unit")


@admin.register(ActivityKind)
class ActivityKindAdmin(admin.ModelAdmin):
    list_display = ("name", "classroom", "builtin")
    list_filter = ("classroom",)


@admin.register(CurriculumTarget)
class CurriculumTargetAdmin(admin.ModelAdmin):
    list_display = ("camp", "label", "classroom", "measure", "count")
    list_filter = ("camp",)


@admin.register(CalendarArrangement)
class CalendarArrangementAdmin(SimpleHistoryAdmin):
    list_display = ("date", "kind", "name", "entered_by")


@admin.register(TrainingDay)
class TrainingDayAdmin(NoRevertHistoryAdmin):
    list_display = (
        "camp",
        "number",
        "slot_date",
        "date",
        "verification",
        "conflict_name",
        "locked",
    )
    list_filter = ("camp", "verification", "locked")
    # Days are made, moved and dropped by the calendar pages, which log each move, move the
    # day's sessions and refresh the camp's standing; the admin may still unlock a day for
    # re-planning, but neither add, delete, re-date nor revert one.
    readonly_fields = ("camp", "number", "slot_date", "date")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TrainingDayMove)
class TrainingDayMoveAdmin(admin.ModelAdmin):
    list_display = ("day", "from_date", "to_date", "kind", "by", "at")


@admin.register(Session)
class SessionAdmin(SimpleHistoryAdmin):
    list_display = ("date", "half_day", "topic", "classroom", "activity_kind", "group")
    list_filter = ("camp", "classroom")
    search_fields = ("topic",)


@admin.register(Attendance)
class AttendanceAdmin(SimpleHistoryAdmin):
    list_display = ("session", "trainee", "status", "source")
    list_filter = ("status", "source")
    raw_id_fields = ("session", "trainee", "leave")


@admin.register(LeaveRequest)
class LeaveRequestAdmin(SimpleHistoryAdmin):
    list_display = ("trainee", "training_day", "half_day", "status", "closed_at")
    list_filter = ("status",)
    raw_id_fields = ("trainee", "training_day")


@admin.register(ResearchTopic)
class ResearchTopicAdmin(SimpleHistoryAdmin):
    list_display = ("title", "camp", "adviser")


@admin.register(TaskForce)
class TaskForceAdmin(admin.ModelAdmin):
    list_display = ("name", "camp", "place")
