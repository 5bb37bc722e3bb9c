"""The audit chain: every write leaves an entry; editing or deleting any entry is detected."""

import pytest
from django.core.management import call_command

from pckb.audit.models import AuditChainHead, AuditEntry
from pckb.audit.services import audit_verify
from pckb.directory.models import Agency


def test_demo_chain_is_intact(db):
    result = audit_verify()
    assert result.ok, result.message
    assert result.checked == AuditEntry.objects.count() > 0


def test_each_write_appends_a_linked_entry(client, login):
    login("vptt.cantho")
    before = AuditChainHead.objects.get().seq
    client.post(
        "/to-chuc/co-quan/them/", {"name": "Sở Nội vụ thành phố Cần Thơ", "kind": "department", "unit": "P92"}
    )
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.seq == before + 1
    assert entry.prev_hash == AuditEntry.objects.get(seq=before).hash
    assert entry.after["name"] == "Sở Nội vụ thành phố Cần Thơ"
    assert entry.username == "vptt.cantho" and entry.ip == "127.0.0.1" and entry.request_id
    assert audit_verify().ok


@pytest.mark.parametrize(
    "field,value", [("object_repr", "sửa lén"), ("after", {"name": "khác"}), ("username", "nguoi-khac")]
)
def test_edited_entry_is_detected(db, field, value):
    target = AuditEntry.objects.order_by("seq")[2]
    AuditEntry.objects.filter(pk=target.pk).update(**{field: value})
    result = audit_verify()
    assert not result.ok
    assert result.first_broken_seq == target.seq


def test_deleted_middle_entry_is_detected(db):
    target = AuditEntry.objects.order_by("seq")[3]
    AuditEntry.objects.filter(pk=target.pk).delete()
    result = audit_verify()
    assert not result.ok and result.first_broken_seq == target.seq


def test_deleted_last_entry_is_detected(db):
    AuditEntry.objects.order_by("-seq").first().delete()
    assert not audit_verify().ok


def test_rehashed_entry_still_breaks_the_link(db):
    """Recomputing a tampered entry's own hash does not help: the next entry links to the old hash."""
    from pckb.audit.services import compute_hash

    target = AuditEntry.objects.order_by("seq")[1]
    target.object_repr = "viết lại"
    target.hash = compute_hash(target.prev_hash, target)
    target.save()
    result = audit_verify()
    assert not result.ok and result.first_broken_seq == target.seq + 1


def test_verify_command_exit_codes(db, capsys):
    call_command("audit_verify")
    assert "nguyên vẹn" in capsys.readouterr().out
    AuditEntry.objects.filter(seq=2).update(ip="10.0.0.1")
    with pytest.raises(SystemExit) as exc:
        call_command("audit_verify")
    assert exc.value.code == 1
    assert "#2" in capsys.readouterr().err


def test_failed_write_leaves_no_entry(client, login):
    login("vptt.cantho")
    count = AuditEntry.objects.count()
    response = client.post("/to-chuc/co-quan/them/", {"name": "", "kind": "department", "unit": "P92"})
    assert response.status_code == 200
    assert AuditEntry.objects.count() == count
    assert not Agency.objects.filter(name="").exists()


def test_history_panel_shows_changes_to_readers_with_audit_access(client, login, users):
    agency = Agency.objects.filter(unit__code="P92").first()
    login("vptt.cantho")
    client.post(
        f"/to-chuc/co-quan/{agency.pk}/sua/",
        {"name": agency.name, "kind": agency.kind, "unit": "P92", "phone": "02923999888"},
    )
    page = client.get(agency.get_absolute_url()).content.decode()
    assert "Lịch sử thay đổi" in page and "vptt.cantho" in page
    client.force_login(users["xa.ninhkieu"])
    assert client.get(agency.get_absolute_url()).status_code == 404


def test_viewing_a_classified_record_is_audited(client, login):
    from pckb.directory.models import Person

    secret = Person.objects.filter(classification=1, agency__unit__code="P92").first()
    login("lanhdao.cantho")
    assert client.get(secret.get_absolute_url()).status_code == 200
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "view" and entry.object_id == str(secret.pk) and entry.username == "lanhdao.cantho"
