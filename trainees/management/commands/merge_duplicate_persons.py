"""python manage.py merge_duplicate_persons [--confirm]: list the people whose ID numbers are
the same number once full-width digits are normalized, and with --confirm merge each set into
one person. Without --confirm nothing is written."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from camp.workbooks import mask_id_number
from trainees.services.persons import person_merge

from ...selectors import persons_sharing_id_number


def _describe(person) -> str:
    camps = ", ".join(
        [f"{c.camp.code}届候选人" for c in person.candidacies.select_related("camp")]
        + [f"{t.camp.code}届学员" for t in person.traineeships.select_related("camp")]
    )
    login = person.user.username if person.user_id else "无账号"
    return f"#{person.pk} {person.name} {person.unit}（{camps or '无记录'}；{login}）"


class Command(BaseCommand):
    help = "列出身份证号（全角/半角统一后）相同的人员；加 --confirm 合并为一人。"

    def add_arguments(self, parser):
        parser.add_argument("--confirm", action="store_true", help="确认合并（否则只列出）")

    def handle(self, *args, confirm=False, **options):
        groups = persons_sharing_id_number()
        if not groups:
            self.stdout.write("没有身份证号重复的人员。")
            return
        refused = 0
        for group in groups:
            self.stdout.write(f"身份证号 {mask_id_number(group.id_number)}：")
            self.stdout.write(f"  保留 {_describe(group.keep)}")
            for duplicate in group.duplicates:
                self.stdout.write(f"  并入 {_describe(duplicate)}")
                if not confirm:
                    continue
                try:
                    person_merge(keep=group.keep, duplicate=duplicate)
                except ValidationError as error:
                    refused += 1
                    self.stderr.write(f"  未合并：{'；'.join(error.messages)}")
                else:
                    self.stdout.write("  已合并。")
        if not confirm:
            self.stdout.write(f"共 {len(groups)} 组。核对无误后加 --confirm 合并。")
        elif refused:
            self.stdout.write(f"{refused} 处未合并，请按提示处理后再运行。")
        else:
            self.stdout.write(self.style.SUCCESS(f"已合并 {len(groups)} 组。"))
