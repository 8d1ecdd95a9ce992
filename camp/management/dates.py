"""The `--today` option the commands share (seed_demo, send_reminders, apply_retention)."""

import datetime

from django.core.management.base import CommandError
from django.utils import timezone


def today_option(value: str | None) -> datetime.date:
    """The day a command runs as: `--today YYYY-MM-DD`, or the local date when not given."""
    if not value:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            f"--today 应写成 YYYY-MM-DD，例如 2026-11-30，而不是 {value!r}"
        ) from error
