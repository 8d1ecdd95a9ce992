from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("assessment", "0002_oversight")]

    operations = [
        migrations.AddField(
            model_name="scoreentry",
            name="cell",
            field=models.CharField(blank=True, max_length=40, verbose_name="单元格"),
        ),
        migrations.AddField(
            model_name="historicalscoreentry",
            name="cell",
            field=models.CharField(blank=True, max_length=40, verbose_name="单元格"),
        ),
        migrations.AddField(
            model_name="submission",
            name="cell",
            field=models.CharField(blank=True, max_length=40, verbose_name="所属周期"),
        ),
        migrations.AddField(
            model_name="historicalsubmission",
            name="cell",
            field=models.CharField(blank=True, max_length=40, verbose_name="所属周期"),
        ),
    ]
