"""Re-hash an existing chain with the audit key (HMAC-SHA256) instead of the unkeyed SHA-256 used before.

Only a chain that checks out as it stands is re-keyed; otherwise nothing changes here and ``pckb audit verify``
reports the first broken entry (run ``pckb audit rekey`` once the key is in place, see docs/operations.md)."""

from django.core.exceptions import ImproperlyConfigured
from django.db import migrations


def rekey(apps, schema_editor):
    from pckb.audit.keys import key_file_create
    from pckb.audit.services import RekeyRefused, audit_rekey

    entry_model = apps.get_model("audit", "AuditEntry")
    head_model = apps.get_model("audit", "AuditChainHead")
    if not entry_model.objects.exists():
        return
    try:
        key_file_create()
        count = audit_rekey(entry_model=entry_model, head_model=head_model)
    except (RekeyRefused, ImproperlyConfigured) as exc:
        print(f"\n  Nhật ký hệ thống chưa được khóa lại: {exc} Chạy `pckb audit rekey` sau khi xử lý.")
        return
    if count:
        print(f"\n  Đã khóa lại {count} mục nhật ký hệ thống bằng HMAC-SHA256.")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_queued_audit_entry")]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop, elidable=True)]
