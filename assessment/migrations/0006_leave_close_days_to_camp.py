"""The leave deadline moves from the scheme to the camp, where the leave pages can read it."""

from django.db import migrations


def scheme_to_camp(apps, schema_editor):
    Camp = apps.get_model("camp", "Camp")
    Scheme = apps.get_model("assessment", "Scheme")
    for camp_id, days in Scheme.objects.values_list("camp_id", "leave_close_days"):
        Camp.objects.filter(pk=camp_id).update(leave_close_days=days)


def camp_to_scheme(apps, schema_editor):
    Camp = apps.get_model("camp", "Camp")
    Scheme = apps.get_model("assessment", "Scheme")
    for camp_id, days in Camp.objects.values_list("pk", "leave_close_days"):
        Scheme.objects.filter(camp_id=camp_id).update(leave_close_days=days)


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0005_cell_rules"),
        ("camp", "0002_camp_leave_close_days"),
    ]

    operations = [
        # Not a seed (tests/e2e re-runs seeds only): it moves existing values.
        migrations.RunPython(scheme_to_camp, camp_to_scheme, hints={"seed": False}),
        migrations.RemoveField(model_name="historicalscheme", name="leave_close_days"),
        migrations.RemoveField(model_name="scheme", name="leave_close_days"),
    ]
