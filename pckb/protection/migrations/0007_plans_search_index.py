from django.db import migrations

from pckb.core import search

MODELS = ("ProtectionPlan", "Inspection", "Finding")


def forwards(apps, schema_editor):
    for name in MODELS:
        search.install(schema_editor, apps.get_model("protection", name))


def backwards(apps, schema_editor):
    for name in MODELS:
        search.uninstall(schema_editor, apps.get_model("protection", name))


class Migration(migrations.Migration):
    atomic = False  # FTS5 virtual tables and CREATE EXTENSION are created outside a transaction block

    dependencies = [("protection", "0006_plans_inspections")]

    operations = [migrations.RunPython(forwards, backwards)]
