"""Preload the categories of key targets named in the issue (the list stays editable by the national office)."""

from django.db import migrations

from pckb.protection.defaults import CATEGORIES, categories_ensure


def forwards(apps, schema_editor):
    categories_ensure(apps.get_model("protection", "TargetCategory"))


def backwards(apps, schema_editor):
    apps.get_model("protection", "TargetCategory").objects.filter(
        code__in=[c[0] for c in CATEGORIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("protection", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
