"""The moved models' content types follow them (app_label assessment → oversight), so that
their permissions, admin log entries and anything else pointing at a content type stay
attached. Content types created for the new label in the meantime (post_migrate of a run
that stopped between the two migrations) are empty duplicates and give way."""

from django.db import migrations

MOVED = (
    "trackedtrainee",
    "inspectionnote",
    "interviewcategory",
    "interview",
    "shortlistround",
    "shortlistentry",
    "shortlistfigures",
    "historicaltrackedtrainee",
    "historicalinspectionnote",
    "historicalinterview",
    "historicalshortlistround",
    "historicalshortlistentry",
)


def _relabel(apps, old: str, new: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    moving = content_type.objects.filter(app_label=old, model__in=MOVED)
    names = list(moving.values_list("model", flat=True))
    content_type.objects.filter(app_label=new, model__in=names).delete()
    moving.update(app_label=new)


def forwards(apps, schema_editor):
    _relabel(apps, "assessment", "oversight")


def backwards(apps, schema_editor):
    _relabel(apps, "oversight", "assessment")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("oversight", "0001_moved_from_assessment"),
        ("assessment", "0010_oversight_models_leave"),
    ]

    operations = [migrations.RunPython(forwards, backwards, hints={"seed": False})]
