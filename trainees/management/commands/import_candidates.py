"""python manage.py import_candidates FILE.xlsx --camp CODE: the same all-or-nothing import as
the upload page. Prints every problem and exits non-zero when the file is refused."""

from django.core.management.base import BaseCommand, CommandError

from camp.models import Camp
from trainees.services.candidate_import import ImportRejected, candidates_import


class Command(BaseCommand):
    help = "从 .xlsx 导入推荐人选（任一行有误则全部不导入）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="候选人名单 FILE.xlsx")
        parser.add_argument("--camp", required=True, help="届次代码，如 2026")

    def handle(self, *args, file, camp, **options):
        camp_obj = Camp.objects.filter(code=camp).first()
        if camp_obj is None:
            codes = "、".join(Camp.objects.values_list("code", flat=True)) or "（无）"
            raise CommandError(f"找不到届次“{camp}”。现有届次：{codes}")
        try:
            result = candidates_import(camp=camp_obj, file=file, by=None)
        except FileNotFoundError as error:
            raise CommandError(f"找不到文件：{file}") from error
        except ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"导入失败：发现 {len(rejected.errors)} 处问题，未导入任何数据。请修改后重新导入。"
            ) from rejected
        self.stdout.write(
            self.style.SUCCESS(
                f"导入成功：新增 {result.created} 名候选人，更新 {result.updated} 名。"
            )
        )
