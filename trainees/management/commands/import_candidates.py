"""python manage.py import_candidates FILE.xlsx --camp CODE [--confirm --reason TEXT]: the same
all-or-nothing import as the upload page. Prints every problem and exits non-zero when the file
is refused. A file that would change people already known prints each change and writes nothing
until it is run again with --confirm and a --reason."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from camp.models import Camp
from trainees.services.candidate_import import (
    ImportRejected,
    candidates_import,
    candidates_import_preview,
)


class Command(BaseCommand):
    help = "从 .xlsx 导入推荐人选（任一行有误则全部不导入；修改已有人员须 --confirm --reason）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="候选人名单 FILE.xlsx")
        parser.add_argument("--camp", required=True, help="届次代码，如 2026")
        parser.add_argument("--confirm", action="store_true", help="确认按预览修改已有人员的信息")
        parser.add_argument("--reason", default="", help="导入原因（修改已有人员时必填）")

    def handle(self, *args, file, camp, confirm=False, reason="", **options):
        camp_obj = Camp.objects.filter(code=camp).first()
        if camp_obj is None:
            codes = "、".join(Camp.objects.values_list("code", flat=True)) or "（无）"
            raise CommandError(f"找不到届次“{camp}”。现有届次：{codes}")
        try:
            preview = candidates_import_preview(camp=camp_obj, file=file)
            if preview.changes:
                self._print_changes(preview)
                if not confirm:
                    raise CommandError(
                        f"未导入：该名单会修改 {len(preview.changes)} 名已有人员的信息。"
                        "核对无误后加 --confirm --reason 原因 重新运行。"
                    )
                if not reason.strip():
                    raise CommandError("未导入：修改已有人员的信息须填写 --reason 原因。")
            result = candidates_import(camp=camp_obj, file=file, by=None, reason=reason)
        except FileNotFoundError as error:
            raise CommandError(f"找不到文件：{file}") from error
        except ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"导入失败：发现 {len(rejected.errors)} 处问题，未导入任何数据。请修改后重新导入。"
            ) from rejected
        except ValidationError as error:
            raise CommandError("未导入：" + "；".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"导入成功：新增 {result.created} 名候选人，更新 {result.updated} 名。"
                f"（导入记录 #{result.record.pk}，文件 SHA-256 {result.record.sha256[:12]}…）"
            )
        )

    def _print_changes(self, preview) -> None:
        for change in preview.changes:
            who = "（已录取学员）" if change.is_trainee else ""
            self.stdout.write(f"第{change.row}行 {change.name}{who}：")
            for field in change.fields:
                self.stdout.write(
                    f"  {field.label}：{field.old or '（空）'} → {field.new or '（空）'}"
                )
