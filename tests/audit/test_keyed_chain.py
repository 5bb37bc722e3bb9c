"""The chain is keyed with a secret kept outside the database and anchored in a file outside it: someone with
write access to the database alone can no longer rewrite, truncate or roll back the log unnoticed."""

import hashlib
import json
import stat

import pytest
from django.core.management import call_command
from django.db import transaction

from pckb.audit.anchors import anchor_write, anchors_read
from pckb.audit.keys import AuditKeyMissing, key_file_create
from pckb.audit.models import AuditChainHead, AuditEntry, QueuedAuditEntry
from pckb.audit.services import _entry_payload, audit_record, audit_rekey, audit_seal_queued, audit_verify
from pckb.directory.models import Agency, Person

OTHER_KEY = "k" * 64


def sha256_rewrite(from_seq: int) -> None:
    """What an attacker with database access (and the source code) can do: recompute every hash from
    ``from_seq`` on with plain SHA-256 and move the head to the result."""
    prev = AuditEntry.objects.get(seq=from_seq - 1).prev_hash if from_seq > 1 else "0" * 64
    prev = AuditEntry.objects.get(seq=from_seq - 1).hash if from_seq > 1 else prev
    for entry in AuditEntry.objects.filter(seq__gte=from_seq).order_by("seq"):
        entry.prev_hash = prev
        entry.hash = prev = hashlib.sha256(prev.encode("ascii") + _entry_payload(entry)).hexdigest()
        AuditEntry.objects.filter(pk=entry.pk).update(prev_hash=entry.prev_hash, hash=entry.hash)
    last = AuditEntry.objects.order_by("-seq").first()
    AuditChainHead.objects.filter(pk=1).update(seq=last.seq, hash=last.hash)


def truncate_to(seq: int) -> None:
    """Delete every entry after ``seq`` and move the head back: a chain that looks whole on its own."""
    AuditEntry.objects.filter(seq__gt=seq).delete()
    kept = AuditEntry.objects.get(seq=seq)
    AuditChainHead.objects.filter(pk=1).update(seq=kept.seq, hash=kept.hash)


def record_update(n: int = 1) -> None:
    agency = Agency.objects.filter(unit__code="P92").first()
    for i in range(n):
        audit_record(actor=None, action="update", obj=agency, before={"phone": ""}, after={"phone": str(i)})


def test_attacker_recomputing_sha256_and_moving_the_head_is_detected(db):
    target = AuditEntry.objects.order_by("seq")[4]
    AuditEntry.objects.filter(pk=target.pk).update(object_repr="hồ sơ đã bị đổi tên")
    sha256_rewrite(target.seq)
    result = audit_verify()
    assert not result.ok
    assert result.first_broken_seq == target.seq
    assert f"#{target.seq}" in result.message


def test_attacker_deleting_an_entry_and_relinking_is_detected(db):
    target = AuditEntry.objects.order_by("seq")[3]
    later = list(AuditEntry.objects.filter(seq__gt=target.seq).order_by("seq"))
    AuditEntry.objects.filter(pk=target.pk).delete()
    for entry in later:  # renumber so no gap shows
        AuditEntry.objects.filter(pk=entry.pk).update(seq=entry.seq - 1)
    sha256_rewrite(target.seq)
    result = audit_verify()
    assert not result.ok and result.first_broken_seq == target.seq


def test_truncating_the_chain_after_an_anchor_is_detected(db, anchor_file):
    assert anchor_write() is not None
    head = AuditChainHead.objects.get()
    truncate_to(head.seq - 3)
    result = audit_verify()
    assert not result.ok
    assert "cắt cụt" in result.message and f"#{head.seq}" in result.message
    assert result.first_broken_seq == head.seq - 2


def test_rolling_back_and_writing_on_after_an_anchor_is_detected(db):
    """An older copy of the database put back (or entries removed) and new entries written over the gap:
    every entry is properly keyed, but the anchored entry is no longer the one anchored."""
    anchored = AuditChainHead.objects.get().seq
    anchor_write()
    truncate_to(anchored - 2)
    record_update(4)
    assert AuditChainHead.objects.get().seq > anchored
    result = audit_verify()
    assert not result.ok
    assert result.first_broken_seq == anchored and "viết lại" in result.message


def test_wrong_key_is_detected(db, settings):
    anchor_write()
    assert audit_verify().ok
    settings.PCKB_AUDIT_KEY = OTHER_KEY
    result = audit_verify()
    assert not result.ok
    assert result.first_broken_seq == 1
    assert "sai khóa" in result.message


def test_edited_anchor_file_is_detected(db, anchor_file):
    anchor_write()
    line = json.loads(anchor_file.read_text())
    line["seq"] -= 5  # pretend the chain was shorter when anchored
    anchor_file.write_text(json.dumps(line) + "\n")
    result = audit_verify()
    assert not result.ok and "dòng 1" in result.message


def test_anchor_is_appended_only_when_the_head_moved(db, anchor_file):
    first = anchor_write()
    assert anchor_write() is None
    record_update()
    second = anchor_write()
    anchors, bad = anchors_read()
    assert [a.seq for a in anchors] == [first.seq, second.seq] and second.seq == first.seq + 1 and not bad
    assert stat.S_IMODE(anchor_file.stat().st_mode) == 0o600
    result = audit_verify()
    assert result.ok and "2 mốc neo" in result.message


def test_worker_task_anchors_the_head(db, anchor_file):
    from pckb.audit.tasks import audit_anchor

    audit_anchor()
    anchors, _bad = anchors_read()
    assert anchors[-1].seq == AuditChainHead.objects.get().seq


def test_anchor_and_verify_commands(db, anchor_file, capsys):
    call_command("audit_anchor")
    assert "Đã neo" in capsys.readouterr().out
    call_command("audit_verify")
    assert "1 mốc neo" in capsys.readouterr().out
    truncate_to(AuditChainHead.objects.get().seq - 1)
    with pytest.raises(SystemExit) as exc:
        call_command("audit_verify")
    assert exc.value.code == 1 and "cắt cụt" in capsys.readouterr().err


def test_after_a_deliberate_restore_the_old_anchors_are_kept_aside(db, anchor_file, capsys):
    anchor_write()
    truncate_to(AuditChainHead.objects.get().seq - 2)  # as a restore of an older backup would
    assert not audit_verify().ok
    call_command("audit_anchor", "--after-restore")
    assert "before-restore" in capsys.readouterr().out
    assert audit_verify().ok
    assert len(list(anchor_file.parent.glob("anchors.jsonl.*.before-restore"))) == 1


def test_missing_key_in_production_stops_the_write_clearly(db, settings, tmp_path, capsys):
    settings.DEBUG = False
    settings.PCKB_AUDIT_KEY = ""
    settings.PCKB_AUDIT_KEY_FILE = tmp_path / "no-such-key"
    count = AuditEntry.objects.count()
    with pytest.raises(AuditKeyMissing, match="PCKB_AUDIT_KEY"), transaction.atomic():
        record_update()
    assert AuditEntry.objects.count() == count
    assert not settings.PCKB_AUDIT_KEY_FILE.exists()  # production never invents a key on the fly
    with pytest.raises(SystemExit) as exc:
        call_command("audit_verify")
    assert exc.value.code == 2 and "PCKB_AUDIT_KEY" in capsys.readouterr().err


def test_setup_creates_a_private_key_file_once(settings, tmp_path):
    settings.PCKB_AUDIT_KEY = ""
    path = tmp_path / "var" / "audit-key"
    assert key_file_create(path)
    key = path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(key.strip()) == 64
    assert not key_file_create(path)
    assert path.read_text() == key


def test_legacy_chain_is_reported_then_rekeyed(db):
    """A database written before the chain was keyed: verify says so; `pckb audit rekey` fixes it once."""
    sha256_rewrite(1)
    result = audit_verify()
    assert not result.ok and result.first_broken_seq == 1 and "rekey" in result.message
    count = AuditEntry.objects.count()
    call_command("audit_rekey")
    assert audit_verify().ok
    assert AuditEntry.objects.count() == count
    assert audit_rekey() == 0  # already keyed: nothing to do


def test_rekey_refuses_a_tampered_legacy_chain(db, capsys):
    sha256_rewrite(1)
    target = AuditEntry.objects.get(seq=3)
    AuditEntry.objects.filter(pk=target.pk).update(username="nguoi-khac")
    hashes = list(AuditEntry.objects.order_by("seq").values_list("hash", flat=True))
    with pytest.raises(SystemExit):
        call_command("audit_rekey")
    assert "#3" in capsys.readouterr().err
    assert list(AuditEntry.objects.order_by("seq").values_list("hash", flat=True)) == hashes


# --- Reads of classified records: queued without the chain lock, sealed in batches ------------------------
@pytest.fixture
def worker_mode(settings):
    settings.HUEY = {**settings.HUEY, "immediate": False}


def test_classified_read_is_queued_then_sealed_into_the_chain(client, login, worker_mode):
    secret = Person.objects.filter(classification=1, agency__unit__code="P92").first()
    head_before = AuditChainHead.objects.get().seq
    login("lanhdao.cantho")
    assert client.get(secret.get_absolute_url()).status_code == 200
    assert AuditChainHead.objects.get().seq == head_before  # the read did not touch the chain
    queued = QueuedAuditEntry.objects.get()
    assert queued.object_id == str(secret.pk) and queued.username == "lanhdao.cantho"
    assert "1 lượt xem" in audit_verify().message
    assert audit_seal_queued() == 1
    entry = AuditEntry.objects.get(seq=head_before + 1)
    assert entry.action == "view" and entry.object_id == str(secret.pk) and entry.time == queued.time
    assert not QueuedAuditEntry.objects.exists() and audit_verify().ok


def test_edited_queued_read_is_detected_and_not_sealed(client, login, worker_mode):
    secret = Person.objects.filter(classification=1, agency__unit__code="P92").first()
    login("lanhdao.cantho")
    client.get(secret.get_absolute_url())
    QueuedAuditEntry.objects.update(username="nguoi-khac")
    result = audit_verify()
    assert not result.ok and "chờ ghi" in result.message
    assert audit_seal_queued() == 0
    assert QueuedAuditEntry.objects.count() == 1
