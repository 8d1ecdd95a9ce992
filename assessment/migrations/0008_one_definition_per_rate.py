"""A group's month rate is the month alone, pooled (no longer a mean of the members' year-to-date
rates), so its column loses the word "average"; the class gains the same figure; a trainee's row
keeps the year so far, labelled 累计. A stored group figure was the old mean, so it is cleared
rather than shown under the new label; a month gets the new figures when computed again."""

from django.db import migrations, models


def clear_old_group_rates(apps, schema_editor):
    apps.get_model("assessment", "GroupMonthlySummary").objects.update(attendance_rate=None)


class Migration(migrations.Migration):
    dependencies = [("assessment", "0007_shortlist_figures")]

    operations = [
        migrations.RenameField(
            model_name="groupmonthlysummary",
            old_name="average_attendance_rate",
            new_name="attendance_rate",
        ),
        migrations.AlterField(
            model_name="groupmonthlysummary",
            name="attendance_rate",
            field=models.DecimalField(
                blank=True,
                decimal_places=1,
                max_digits=4,
                null=True,
                verbose_name="当月出勤率（%）",
            ),
        ),
        migrations.RunPython(
            clear_old_group_rates, migrations.RunPython.noop, hints={"seed": False}
        ),
        migrations.AddField(
            model_name="classmonthlysummary",
            name="attendance_rate",
            field=models.DecimalField(
                blank=True,
                decimal_places=1,
                max_digits=4,
                null=True,
                verbose_name="当月出勤率（%）",
            ),
        ),
        migrations.AlterField(
            model_name="monthlysummaryrow",
            name="attendance_rate",
            field=models.DecimalField(
                blank=True,
                decimal_places=1,
                max_digits=4,
                null=True,
                verbose_name="累计出勤率（%）",
            ),
        ),
    ]
