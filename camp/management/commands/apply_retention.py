"""Anonymize what has expired: `python manage.py apply_retention [--today YYYY-MM-DD] [--dry-run]`.

Prints one line per category, `<label>: <n>`; a dry run adds a few examples to each and writes
nothing. A real run that changed anything leaves an audit record (RetentionRun). The daily task
(camp.tasks.apply_retention) does the same; run this after restoring a backup (README)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from camp.management.dates import today_option
from camp.models import RetentionRun
from camp.services.retention import retention_apply


class Command(BaseCommand):
    help = "Anonymize personal data whose retention period has expired."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="YYYY-MM-DD (default: today, local time)")
        parser.add_argument(
            "--dry-run", action="store_true", help="print what would go; write nothing"
        )

    def handle(self, *args, today=None, dry_run=False, **options):
        day = today_option(today)
        report = retention_apply(today=day, process=RetentionRun.Process.COMMAND, dry_run=dry_run)
        self.stdout.write(f"{'dry run' if dry_run else 'run'} as of {day.isoformat()}")
        for category in report.categories.values():
            line = f"{category.label}: {category.count}"
            # Names only in a dry run: a real run's output may be kept in a log.
            if dry_run and category.examples:
                line += "  (" + ", ".join(category.examples) + ", …)"
            self.stdout.write(line)
        if not report.categories:
            self.stdout.write("nothing has expired")
        elif report.run is not None:
            self.stdout.write(f"recorded as run #{report.run.pk}")
