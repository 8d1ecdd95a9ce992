"""Store each person's pinyin initials beside the name (camp.pinyin), so lists find 张华生 by
"zhs" without computing pinyin per row; people written before are filled here."""

from django.db import migrations, models

from camp.pinyin import name_initials


def backfill(apps, schema_editor):
    Person = apps.get_model("trainees", "Person")
    changed = []
    for person in Person.objects.only("pk", "name", "name_initials").iterator():
        initials = name_initials(person.name)
        if initials != person.name_initials:
            person.name_initials = initials
            changed.append(person)
    Person.objects.bulk_update(changed, ["name_initials"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("trainees", "0005_group_move_effective_on")]

    operations = [
        migrations.AddField(
            model_name="historicalperson",
            name="name_initials",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                max_length=255,
                verbose_name="姓名拼音首字母",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="name_initials",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                max_length=255,
                verbose_name="姓名拼音首字母",
            ),
        ),
        # Not a seed (tests/e2e re-runs seeds only): it fills existing rows.
        migrations.RunPython(backfill, migrations.RunPython.noop, hints={"seed": False}),
    ]
