from django.db import migrations

from pckb.core import search

MODELS = ("Person", "Agency")


def forwards(apps, schema_editor):
    for name in MODELS:
        search.install(schema_editor, apps.get_model("directory", name))


def backwards(apps, schema_editor):
    for name in MODELS:
        search.uninstall(schema_editor, apps.get_model("directory", name))


class Migration(migrations.Migration):
    atomic = False  # FTS5 virtual tables and CREATE EXTENSION are created outside a transaction block

    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
