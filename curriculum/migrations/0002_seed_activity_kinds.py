"""The article's activity kinds, per classroom. Staff add more in the app."""

from django.db import migrations

BUILTIN_KINDS = [
    ("专题党课", "conviction"),
    ("讲坛/论坛", "conviction"),
    ("现场教学", "conviction"),
    ("专题辅导", "empowerment"),
    ("部门授课", "empowerment"),
    ("异地现场教学", "empowerment"),
    ("青能量公开课", "mentoring"),
    ("圆桌会", "mentoring"),
    ("主题辩论赛", "mentoring"),
    ("读书分享会", "mentoring"),
    ("调研", "research"),
    ("项目", "practice"),
    ("经验分享交流会", "practice"),
]


def seed(apps, schema_editor):
    ActivityKind = apps.get_model("curriculum", "ActivityKind")
    for name, classroom in BUILTIN_KINDS:
        ActivityKind.objects.update_or_create(
            name=name, defaults={"classroom": classroom, "builtin": True}
        )


def unseed(apps, schema_editor):
    ActivityKind = apps.get_model("curriculum", "ActivityKind")
    ActivityKind.objects.filter(builtin=True, sessions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
