"""python manage.py export_report KIND [--camp CODE] [--month YYYY-MM] [--trainee USERNAME]
[--round ID] [--group N] [--unmasked] -o FILE.xlsx|FILE.docx

Writes any kind the apps registered with camp.workbooks: a workbook, or a Word document for the
document kinds. `--camp` is needed by every kind but those that span the editions. Runs as the
operator (no role check); every --unmasked export is logged."""

import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from camp.models import Camp
from camp.months import parse_optional_month
from camp.services.sensitive_access import unmasked_export_log
from camp.workbooks import ExportRequest, NoDataError, build_export, registry


class Command(BaseCommand):
    help = "导出报表（.xlsx）或文书（.docx）：KIND 为类型，如 candidates、roster。"

    def add_arguments(self, parser):
        parser.add_argument("kind")
        parser.add_argument("--camp", help="届次代码，如 2026（历届对比等跨届次的类型不需要）")
        parser.add_argument("--month", help="月份 YYYY-MM")
        parser.add_argument("--trainee", help="学员用户名")
        parser.add_argument("--round", type=int, dest="round_id", help="比选轮次编号")
        parser.add_argument("--group", type=int, help="学习小组组号 1-6")
        parser.add_argument("--unmasked", action="store_true", help="不脱敏（将记录）")
        parser.add_argument("-o", "--output", required=True, help="输出文件 FILE.xlsx 或 FILE.docx")

    def handle(self, *args, kind, camp, month, trainee, round_id, group, unmasked, output, **kw):
        if kind not in registry:
            known = "、".join(sorted(registry)) or "（无）"
            raise CommandError(f"未知的报表类型“{kind}”。可用的类型：{known}")
        export_kind = registry[kind]
        if not output.lower().endswith(f".{export_kind.media}"):
            raise CommandError(
                f"“{kind}”生成 .{export_kind.media} 文件，"
                f"请把输出文件名写成 *.{export_kind.media}。"
            )
        camp_obj = None
        if camp is None and export_kind.needs_camp:
            raise CommandError(f"报表“{kind}”需要 --camp 届次代码。")
        if camp is not None:
            camp_obj = Camp.objects.filter(code=camp).first()
            if camp_obj is None:
                codes = "、".join(Camp.objects.values_list("code", flat=True)) or "（无）"
                raise CommandError(f"找不到届次“{camp}”。现有届次：{codes}")
        try:
            month_date = parse_optional_month(month)
        except ValidationError as error:
            raise CommandError(f"月份“{month}”格式不对，请写成 YYYY-MM，如 2026-03。") from error
        if export_kind.needs_month and month_date is None:
            raise CommandError(f"报表“{kind}”需要 --month YYYY-MM。")
        if camp_obj is None and (trainee or group is not None):
            raise CommandError("--trainee 和 --group 需要同时指定 --camp。")
        trainee_obj = None
        if trainee:
            trainee_obj = (
                camp_obj.trainees.filter(person__user__username=trainee)
                .select_related("person")
                .first()
            )
            if trainee_obj is None:
                raise CommandError(f"届次 {camp} 中没有用户名为“{trainee}”的学员。")
        group_obj = None
        if group is not None:
            group_obj = camp_obj.groups.filter(number=group).first()
            if group_obj is None:
                raise CommandError(f"届次 {camp} 没有第{group}组。")
        request = ExportRequest(
            camp=camp_obj,
            user=None,
            month=month_date,
            trainee=trainee_obj,
            round_id=round_id,
            unmasked=unmasked,
            group=group_obj,
        )
        try:
            built, _filename = build_export(kind, request)
        except NoDataError as error:
            raise CommandError(str(error)) from error
        built.save(output)
        if unmasked:
            # No app user runs a command: the log names the system account instead.
            unmasked_export_log(
                user=None,
                camp=camp_obj,
                kind=kind,
                filename=f"命令行（{getpass.getuser()}）→ {output}",
            )
        self.stdout.write(f"已导出 {registry[kind].label}：{output}")
