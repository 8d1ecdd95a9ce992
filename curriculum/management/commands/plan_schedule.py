"""python manage.py plan_schedule --camp CODE: create or re-check a camp's 24 training days."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from camp.models import Camp
from curriculum.services.calendar import training_days_plan


class Command(BaseCommand):
    help = "生成或重新核验某届的24个集中培训日（每月第二、四周周六，避开法定节假日和调休上班日）。"

    def add_arguments(self, parser):
        parser.add_argument("--camp", required=True, help="届次代码，例如 2026")

    def handle(self, *args, camp, **options):
        found = Camp.objects.filter(code=camp).first()
        if found is None:
            raise CommandError(f"没有代码为 {camp} 的届次。请先在“届次”页面创建。")
        try:
            report = training_days_plan(camp=found, by=None)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        for line in report.lines():
            self.stdout.write(line)
        if report.warnings:
            self.stdout.write(self.style.WARNING(f"有 {len(report.warnings)} 条需要人工确认。"))
