from django.db import migrations

from pckb.core import search


def forwards(apps, schema_editor):
    search.install(schema_editor, apps.get_model("protection", "ProtectedEvent"))


def backwards(apps, schema_editor):
    search.uninstall(schema_editor, apps.get_model("protection", "ProtectedEvent"))


class Migration(migrations.Migration):
    atomic = False  # FTS5 virtual tables and CREATE EXTENSION are created outside a transaction block

    dependencies = [("protection", "0004_protected_events")]

    operations = [migrations.RunPython(forwards, backwards)]
