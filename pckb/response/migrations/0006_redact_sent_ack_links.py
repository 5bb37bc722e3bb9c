"""E-mails delivered before the outbox kept one-time links apart (``OutboxMessage.private_text``) still hold
the links' tokens in their stored body: replace each token of a delivered message by "…" (the e-mail itself
is unchanged; the link keeps working until used or expired, since only its hash is stored)."""

import re

from django.db import migrations

TOKEN = re.compile(r"(/ung-pho/xac-nhan/)[A-Za-z0-9_-]+/")


def redact(apps, schema_editor):
    OutboxMessage = apps.get_model("notifications", "OutboxMessage")
    rows = OutboxMessage.objects.filter(status="sent", body__contains="/ung-pho/xac-nhan/")
    for message in rows.iterator():
        message.body = TOKEN.sub(r"\1…/", message.body)
        message.save(update_fields=["body"])


class Migration(migrations.Migration):
    dependencies = [
        ("response", "0005_acknowledgement_links"),
        ("notifications", "0002_outbox_private_text"),
    ]

    operations = [migrations.RunPython(redact, migrations.RunPython.noop)]
