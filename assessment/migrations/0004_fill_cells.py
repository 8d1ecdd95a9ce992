"""Fill every entry's and submission's cell and merge what the cell rule forbids; prints the
report of what it merged (assessment/cell_merge.py)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from assessment.cell_merge import fill_entry_cells, fill_submission_cells

    item_model = apps.get_model("assessment", "AssessmentItem")
    # "Once-only" becomes the frequency once: the flag is dropped by the next migration.
    item_model.objects.filter(once_only=True).exclude(frequency="once").update(frequency="once")
    report = fill_entry_cells(
        apps.get_model("assessment", "ScoreEntry"),
        apps.get_model("assessment", "HistoricalScoreEntry"),
        apps.get_model("assessment", "Submission"),
    )
    report += fill_submission_cells(
        apps.get_model("assessment", "Submission"),
        apps.get_model("assessment", "HistoricalSubmission"),
    )
    if report:
        print(f"\n  cells: merged {len(report)}")  # noqa: T201
        for line in report:
            print(f"    {line}")  # noqa: T201


class Migration(migrations.Migration):
    dependencies = [("assessment", "0003_entry_cells")]

    # Not a seed: the browser tests' conftest re-runs only the migrations' seeds after a flush.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, hints={"seed": False})]
