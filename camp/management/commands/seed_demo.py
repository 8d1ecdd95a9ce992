"""Build the demo camp: `python manage.py seed_demo [--password P] [--today YYYY-MM-DD]`.

Each app contributes steps (camp.demo); this command runs them in order with one seeded
random generator, inside one transaction, so two runs give the same demo and a failed run
leaves the previous demo as it was."""

import datetime
import random
import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import ProtectedError

from camp import demo
from camp.camp_cache import camp_changed
from camp.demo import DemoContext
from camp.management.dates import today_option
from camp.models import Camp

DEFAULT_PASSWORD = "Demo-2026-camp"
DEFAULT_TODAY = datetime.date(2026, 11, 30)
SEED = 2026


class Command(BaseCommand):
    help = "创建演示用的2026届培训营（再次运行会先删除旧的演示数据再重建）。"

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="所有演示账号的密码")
        parser.add_argument(
            "--today", default=DEFAULT_TODAY.isoformat(), help="演示数据截止的“今天”，YYYY-MM-DD"
        )

    def handle(self, *args, password, today, **options):
        if len(password) < 10:
            raise CommandError("演示密码至少需要10个字符，请换一个更长的密码。")
        today = today_option(today)
        if not datetime.date(2026, 1, 1) <= today <= datetime.date(2026, 12, 31):
            raise CommandError("--today 应在2026年内（演示届次为2026年1月至12月）。")
        ctx = DemoContext(
            today=today,
            password=password,
            rng=random.Random(SEED),
            log=lambda line: self.stdout.write(line),
        )
        started = time.monotonic()
        try:
            with transaction.atomic():
                # Read at run time, not bound at import: a test may narrow the steps for a while.
                for step in sorted(demo.DEMO_STEPS):
                    self.stdout.write(f"· {step.label}")
                    step_started = time.monotonic()
                    step.build(ctx)
                    self.stdout.write(f"  （{time.monotonic() - step_started:.1f} 秒）")
                # The steps write entries in bulk: no camp's cached standing may outlive them.
                for camp_id in Camp.objects.values_list("pk", flat=True):
                    camp_changed(camp_id=camp_id)
        except (ValidationError, ProtectedError) as error:
            raise CommandError(f"演示数据未能生成，数据库保持原样：{error}") from error
        self.stdout.write(
            self.style.SUCCESS(f"演示数据已生成（{time.monotonic() - started:.1f} 秒）。")
        )
        self.stdout.write("演示账号：")
        for username, description in ctx.shared.get("accounts", []):
            self.stdout.write(f"  {username:<16} {description}")
        self.stdout.write(f"所有账号的密码：{password}")
