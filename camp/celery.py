import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "camp.settings")

app = Celery("camp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# In code, so that a fresh deployment's single beat process has the schedule without any data.
app.conf.beat_schedule = {
    "monthly-summaries": {
        "task": "assessment.tasks.compute_previous_month_summaries",
        "schedule": crontab(minute=30, hour=1, day_of_month=1),
    },
    "attendance-deductions": {
        "task": "assessment.tasks.sync_attendance_deductions",
        "schedule": crontab(minute=15, hour=2),
    },
    "expire-old-exports": {
        "task": "assessment.tasks.expire_old_exports",
        "schedule": crontab(minute=0, hour=3),
    },
    "recover-stale-jobs": {
        "task": "camp.tasks.recover_stale_jobs",
        "schedule": crontab(minute="*/10"),
    },
    "expire-old-drafts": {
        "task": "camp.tasks.expire_old_drafts",
        "schedule": crontab(minute=20, hour=3),
    },
    # Each camp's reminders go at its own time (Camp.reminder_time); this only looks.
    "send-due-reminders": {
        "task": "camp.notifications.tasks.send_due_reminders",
        "schedule": crontab(minute="*/15"),
    },
    "pass-overdue-leave-steps": {
        "task": "curriculum.tasks.pass_overdue_leave_steps",
        "schedule": crontab(minute=20),
    },
    "resend-pending-deliveries": {
        "task": "camp.notifications.tasks.resend_pending_deliveries",
        "schedule": crontab(minute="5-59/15"),
    },
    # Personal data past its retention period (issue 18 §4); before the backup of the night.
    "apply-retention": {
        "task": "camp.tasks.apply_retention",
        "schedule": crontab(minute=40, hour=3),
    },
    "expire-pending-imports": {
        "task": "trainees.tasks.expire_pending_imports",
        "schedule": crontab(minute=10, hour=3),
    },
}
