"""Group moves take effect on a date (GroupMove.effective_on), the dated group membership.

Existing moves are backfilled from their history: a trainee's first move (their placement)
takes effect on the day of admission; each later move on the day it was recorded (in the
camp's time zone), never before the previous move's day nor before admission."""

from django.db import migrations, models
from django.utils import timezone


def backfill(apps, schema_editor):
    group_move = apps.get_model("trainees", "GroupMove")
    moves = group_move.objects.select_related("trainee").order_by("trainee_id", "at", "pk")
    previous_trainee, previous_day, changed = None, None, []
    for move in moves.iterator(chunk_size=2000):
        admitted_on = move.trainee.admitted_on
        if move.trainee_id != previous_trainee:
            day = admitted_on
        else:
            day = max(timezone.localdate(move.at), admitted_on, previous_day)
        move.effective_on = day
        changed.append(move)
        previous_trainee, previous_day = move.trainee_id, day
    group_move.objects.bulk_update(changed, ["effective_on"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("trainees", "0004_candidate_import_record"),
    ]

    operations = [
        migrations.AddField(
            model_name="groupmove",
            name="effective_on",
            field=models.DateField(null=True, verbose_name="生效日期"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, hints={"seed": False}),
        migrations.AlterField(
            model_name="groupmove",
            name="effective_on",
            field=models.DateField(verbose_name="生效日期"),
        ),
        migrations.AddIndex(
            model_name="groupmove",
            index=models.Index(
                fields=["trainee", "effective_on"], name="trainees_gr_trainee_132a3c_idx"
            ),
        ),
    ]
