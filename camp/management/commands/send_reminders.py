"""The daily schedule by hand: `python manage.py send_reminders [--today YYYY-MM-DD]`.

Prints one line `<kind>: <n>` per kind (how many reminders were made now); a second run for the
same day makes none."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from camp.management.dates import today_option
from camp.models import Camp
from camp.notifications.reminders import reminders_send


class Command(BaseCommand):
    help = "Send the daily reminders (通知) for every current camp."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="YYYY-MM-DD (default: today, local time)")

    def handle(self, *args, today=None, **options):
        day = today_option(today)
        made = reminders_send(camps=list(Camp.objects.current()), today=day)
        for kind, count in made.items():
            self.stdout.write(f"{kind}: {count}")
