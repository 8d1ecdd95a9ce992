"""Seed the alias table with the titles of the parallel 职级 system and the usual wordings of
the levels, mapped onto the 职务层次 the selection rules use (公务员职务与职级并行规定)."""

from django.db import migrations

ALIASES = {
    # 领导职务的常见写法
    "厅局级正职": "bureau_chief",
    "厅局级副职": "deputy_bureau_chief",
    "县处级正职": "division_chief",
    "县处级副职": "deputy_division_chief",
    "乡科级正职": "section_chief",
    "乡科级副职": "deputy_section_chief",
    "正厅": "bureau_chief",
    "副厅": "deputy_bureau_chief",
    "正处": "division_chief",
    "副处": "deputy_division_chief",
    "正科": "section_chief",
    "副科": "deputy_section_chief",
    # 职级（并行制度）
    "一级巡视员": "bureau_chief",
    "二级巡视员": "deputy_bureau_chief",
    "一级调研员": "division_chief",
    "二级调研员": "division_chief",
    "三级调研员": "deputy_division_chief",
    "四级调研员": "deputy_division_chief",
    "一级主任科员": "section_chief",
    "二级主任科员": "section_chief",
    "三级主任科员": "deputy_section_chief",
    "四级主任科员": "deputy_section_chief",
    "一级科员": "staff_member",
    "二级科员": "staff_member",
}


def seed(apps, schema_editor):
    RankAlias = apps.get_model("trainees", "RankAlias")
    for title, rank in ALIASES.items():
        RankAlias.objects.get_or_create(title=title, defaults={"rank": rank})


def unseed(apps, schema_editor):
    RankAlias = apps.get_model("trainees", "RankAlias")
    RankAlias.objects.filter(title__in=list(ALIASES)).delete()


class Migration(migrations.Migration):
    dependencies = [("trainees", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
