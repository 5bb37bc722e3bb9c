from django.db import migrations

from pckb.core import search


def forwards(apps, schema_editor):
    search.install(schema_editor, apps.get_model("protection", "Target"))


def backwards(apps, schema_editor):
    search.uninstall(schema_editor, apps.get_model("protection", "Target"))


class Migration(migrations.Migration):
    atomic = False  # FTS5 virtual tables and CREATE EXTENSION are created outside a transaction block

    dependencies = [("protection", "0002_target_categories")]

    operations = [migrations.RunPython(forwards, backwards)]
