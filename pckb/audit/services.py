"""Writing and verifying the hash-chained audit log.

Call :func:`audit_record` inside the transaction of the write it records."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import F
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from pckb.audit import keys
from pckb.audit.choices import AuditAction
from pckb.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry, QueuedAuditEntry
from pckb.core import context, events


def _json_default(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    raise TypeError(f"not JSON serialisable: {type(value)!r}")


def snapshot(obj: models.Model) -> dict:
    """A JSON-ready dict of the object's concrete fields (foreign keys by id), without derived fields."""
    exclude = set(getattr(obj, "audit_exclude", ()))
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude:
            continue
        value = getattr(obj, field.attname)
        data[field.attname] = json.loads(json.dumps(value, default=_json_default))
    return data


def _entry_payload(entry: AuditEntry) -> bytes:
    payload = {
        "seq": entry.seq,
        "time": entry.time.isoformat(),
        "user_id": entry.user_id,
        "username": entry.username,
        "ip": entry.ip,
        "request_id": entry.request_id,
        "source": entry.source,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "unit_path": entry.unit_path,
        "classification": entry.classification,
        "before": entry.before,
        "after": entry.after,
    }
    return json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_json_default
    ).encode("utf-8")


def compute_hash(prev_hash: str, entry, key: bytes | None = None) -> str:
    """HMAC-SHA256 of the previous hash and the entry, with the chain key (read from outside the database)."""
    key = key if key is not None else keys.derived_key(keys.PURPOSE_CHAIN)
    return hmac.new(key, prev_hash.encode("ascii") + _entry_payload(entry), hashlib.sha256).hexdigest()


def legacy_hash(prev_hash: str, entry) -> str:
    """The unkeyed SHA-256 used before the chain was keyed (anyone could recompute it): re-key only."""
    return hashlib.sha256(prev_hash.encode("ascii") + _entry_payload(entry)).hexdigest()


def _object_scope(obj: models.Model | None) -> tuple[str, int]:
    if obj is None:
        return "", 0
    unit = obj.get_unit() if hasattr(obj, "get_unit") else None
    from pckb.core.access import classification_of

    # A child's entry is as classified as its parent (a delegate of a Mật conference is Mật).
    classification = max(getattr(obj, "classification", 0) or 0, classification_of(obj))
    return (unit.path if unit is not None else ""), int(classification)


def _lock_head() -> AuditChainHead:
    """Take the chain lock and return the head. Updating the head row first takes the write lock (row lock
    on PostgreSQL, database lock on SQLite), so concurrent appenders queue here and the chain stays linear."""
    connection = transaction.get_connection()
    table = connection.ops.quote_name(AuditChainHead._meta.db_table)
    for _attempt in range(2):
        # One round trip: the lock is held from here to COMMIT, so every round trip inside it counts.
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET seq = seq WHERE id = 1 RETURNING seq, hash")  # noqa: S608
            row = cursor.fetchone()
        if row is not None:
            return AuditChainHead(pk=1, seq=row[0], hash=row[1])
        AuditChainHead.objects.get_or_create(pk=1)  # the very first entry of an installation
    raise RuntimeError("audit chain head missing")


def _lock_head_when_free(attempts: int = 20, pause: float = 0.02) -> AuditChainHead:
    """For the sealer (PostgreSQL): take the chain lock only when no writer holds it, rather than queue in
    front of the writers that arrive meanwhile; after ``attempts`` tries, queue like everyone else."""
    import time

    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(AuditChainHead._meta.db_table)
        for _attempt in range(attempts):
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT seq, hash FROM {table} WHERE id = 1 FOR UPDATE SKIP LOCKED"  # noqa: S608
                )
                row = cursor.fetchone()
            if row is not None:
                return AuditChainHead(pk=1, seq=row[0], hash=row[1])
            time.sleep(pause)
    return _lock_head()


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    unit_path: str | None = None,
    username: str = "",
) -> AuditEntry | QueuedAuditEntry:
    """Append one entry to the chain. Must run inside the caller's transaction.

    A read of a classified record (``view``) does not take the chain lock: it is queued with its own MAC and
    sealed into the chain by the worker within seconds (see :func:`audit_seal_queued`)."""
    ctx = context.current()
    obj_path, classification = _object_scope(obj)
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    fields = {
        "time": timezone.now(),
        "user": user,
        "username": (user.get_username() if user else username)[:150],
        "ip": ctx.ip or "",
        "request_id": ctx.request_id,
        "source": ctx.source,
        "action": action,
        "object_type": object_type or (obj._meta.label_lower if obj is not None else ""),
        "object_id": object_id or (str(obj.pk) if obj is not None and obj.pk is not None else ""),
        "object_repr": (object_repr or (str(obj) if obj is not None else ""))[:300],
        "unit_path": unit_path if unit_path is not None else obj_path,
        "classification": classification,
    }
    if action == AuditAction.VIEW and before is None and after is None:
        return _queue(fields)
    return _chain_append(fields, before=before, after=after)


def audit_record_many(*, actor, action: str, objects: list, afters: list[dict]) -> list[AuditEntry]:
    """One entry per object (``after`` its snapshot), chained in order under one hold of the chain lock and
    written in one insert: an import's batch. Each entry is the one :func:`audit_record` would write."""
    if not objects:
        return []
    ctx = context.current()
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    key = keys.derived_key(keys.PURPOSE_CHAIN)
    with transaction.atomic():
        head = _lock_head()
        seq, prev = head.seq, head.hash
        now = timezone.now()
        entries = []
        for obj, after in zip(objects, afters, strict=True):
            obj_path, classification = _object_scope(obj)
            seq += 1
            entry = AuditEntry(
                seq=seq,
                time=now,
                user=user,
                username=(user.get_username() if user else "")[:150],
                ip=ctx.ip or "",
                request_id=ctx.request_id,
                source=ctx.source,
                action=action,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_repr=str(obj)[:300],
                unit_path=obj_path,
                classification=classification,
                before=None,
                after=after,
                prev_hash=prev,
            )
            entry.hash = prev = compute_hash(prev, entry, key)
            entries.append(entry)
        AuditEntry.objects.bulk_create(entries, batch_size=500)
        AuditChainHead.objects.filter(pk=1).update(seq=seq, hash=prev)
    return entries


def _chain_append(fields: dict, *, before: dict | None = None, after: dict | None = None) -> AuditEntry:
    """Append under the chain lock, held until the caller's transaction commits."""
    key = keys.derived_key(keys.PURPOSE_CHAIN)  # before the lock: a missing key fails without waiting
    with transaction.atomic():
        head = _lock_head()
        entry = AuditEntry(seq=head.seq + 1, before=before, after=after, prev_hash=head.hash, **fields)
        entry.time = timezone.now()  # under the lock: chained entries keep time in sequence order
        entry.hash = compute_hash(head.hash, entry, key)
        entry.save()
        AuditChainHead.objects.filter(pk=1).update(seq=entry.seq, hash=entry.hash)
    return entry


# --- Reads of classified records: queued, then sealed into the chain in batches ---------------------------
SEAL_FLAG = "pckb:audit:seal-scheduled"
#: Reads are sealed at most about once per this many seconds: one short hold of the chain lock per batch.
SEAL_DELAY = 1.0
#: Sent after a transaction that queued classified reads commits (``tasks.py`` schedules the seal).
READ_QUEUED = "audit.read_queued"
_QUEUE_FIELDS = (
    "time", "user_id", "username", "ip", "request_id", "source", "action", "object_type", "object_id",
    "object_repr", "unit_path", "classification",
)  # fmt: skip


def queued_mac(row: QueuedAuditEntry, key: bytes | None = None) -> str:
    payload = {name: getattr(row, name) for name in _QUEUE_FIELDS}
    payload["time"] = row.time.isoformat()
    message = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    key = key if key is not None else keys.derived_key(keys.PURPOSE_QUEUE)
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _queue(fields: dict) -> QueuedAuditEntry:
    from django.conf import settings

    row = QueuedAuditEntry(**fields)
    row.mac = queued_mac(row)
    # Only a read's own transaction commits without waiting for the disk: never the caller's write.
    own_transaction = not transaction.get_connection().in_atomic_block
    with transaction.atomic():
        if own_transaction and not settings.PCKB_AUDIT_DURABLE_READS:
            _commit_without_waiting_for_disk()
        row.save()
    _seal_soon()
    return row


def _seal_soon() -> None:
    from django.conf import settings

    if settings.HUEY.get("immediate"):
        # No worker (tests, immediate mode): seal now, inside the caller's transaction.
        audit_seal_queued()
        return
    # After commit the audit app's tasks.py schedules the seal (the event keeps services free of tasks).
    events.emit(READ_QUEUED, coalesce=True)


def _commit_without_waiting_for_disk() -> None:
    """PostgreSQL: let this transaction's COMMIT return before its WAL reaches the disk, so the chain lock is
    released sooner. Safe for sealing: a crash can only lose the whole seal (the reads stay queued and are
    sealed again), and any later append that built on it flushes the WAL up to and including it."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def audit_seal_queued(*, batch_size: int = 500) -> int:
    """Move queued reads into the chain, oldest first, one batch per lock. Returns how many were sealed.

    A queued row whose MAC does not match is left in the queue (``pckb audit verify`` reports it)."""
    import logging

    chain_key = keys.derived_key(keys.PURPOSE_CHAIN)
    queue_key = keys.derived_key(keys.PURPOSE_QUEUE)
    bad: set[int] = set()
    sealed = 0
    while True:
        # Read and check the batch before taking the lock: inside it only the chaining and three statements.
        rows = list(QueuedAuditEntry.objects.exclude(pk__in=bad).order_by("id")[:batch_size])
        if not rows:  # no lock when there is nothing to seal
            return sealed
        good = []
        for row in rows:
            if hmac.compare_digest(row.mac, queued_mac(row, queue_key)):
                good.append(row)
            else:
                bad.add(row.pk)
                logging.getLogger(__name__).error("queued audit entry %s fails its MAC", row.pk)
        if not good:
            continue
        entries = [AuditEntry(**{name: getattr(row, name) for name in _QUEUE_FIELDS}) for row in good]
        own_transaction = not transaction.get_connection().in_atomic_block  # never relax a caller's commit
        try:
            with transaction.atomic():
                if own_transaction:
                    _commit_without_waiting_for_disk()
                head = _lock_head_when_free()
                if QueuedAuditEntry.objects.filter(pk__in=[r.pk for r in good]).delete()[0] != len(good):
                    raise _SealedMeanwhile  # another sealer took some of these rows: read the queue again
                seq, prev = head.seq, head.hash
                for entry in entries:
                    seq += 1
                    entry.seq, entry.prev_hash = seq, prev
                    entry.hash = prev = compute_hash(prev, entry, chain_key)
                AuditEntry.objects.bulk_create(entries)
                AuditChainHead.objects.filter(pk=1).update(seq=seq, hash=prev)
        except _SealedMeanwhile:
            continue
        sealed += len(entries)


class _SealedMeanwhile(Exception):
    pass


# --- Verification ----------------------------------------------------------------------------------------
@dataclass
class VerifyResult:
    ok: bool
    checked: int
    message: str
    first_broken_seq: int | None = None


def audit_verify(*, progress=None, batch_size: int = 5000, anchor_file=None) -> VerifyResult:
    """Recompute the whole chain with the key, compare it with the head and with the anchors kept outside the
    database. Returns the first broken entry, if any."""
    from pckb.audit import anchors as anchor_store

    chain_key = keys.derived_key(keys.PURPOSE_CHAIN)
    anchor_list, bad_lines = anchor_store.anchors_read(anchor_file)
    by_seq = {a.seq: a for a in anchor_list}
    key_hint = ""
    if bad_lines and not anchor_list:
        key_hint = " Không mốc neo nào khớp khóa: có thể đang dùng sai khóa nhật ký (PCKB_AUDIT_KEY)."

    def broken(message: str, seq: int | None, checked: int) -> VerifyResult:
        return VerifyResult(False, checked, message + key_hint, seq)

    head = AuditChainHead.objects.filter(pk=1).first()
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    last_seq = 0
    fields = [f.name for f in AuditEntry._meta.concrete_fields if f.name != "user"] + ["user_id"]
    while True:
        batch = list(
            AuditEntry.objects.filter(seq__gte=expected_seq).order_by("seq").only(*fields)[:batch_size]
        )
        if not batch:
            break
        for entry in batch:
            if entry.seq != expected_seq:
                return broken(f"Thiếu mục nhật ký #{expected_seq} (bị xóa).", expected_seq, checked)
            if entry.prev_hash != prev_hash:
                return broken(f"Mục #{entry.seq}: liên kết chuỗi bị phá vỡ.", entry.seq, checked)
            if not hmac.compare_digest(compute_hash(prev_hash, entry, chain_key), entry.hash):
                if legacy_hash(prev_hash, entry) == entry.hash:
                    message = (
                        f"Mục #{entry.seq}: mã băm SHA-256 không khóa — chuỗi đã bị tính lại bởi người "
                        "không có khóa nhật ký, hoặc là dữ liệu cũ chưa được khóa lại (`pckb audit rekey`)."
                    )
                else:
                    message = f"Mục #{entry.seq}: nội dung đã bị sửa (mã HMAC không khớp)."
                return broken(message, entry.seq, checked)
            anchor = by_seq.get(entry.seq)
            if anchor is not None and anchor.hash != entry.hash:
                return broken(
                    f"Mục #{entry.seq} khác với mốc neo lúc {anchor.time}: chuỗi đã bị viết lại.",
                    entry.seq,
                    checked,
                )
            prev_hash = entry.hash
            last_seq = entry.seq
            expected_seq += 1
            checked += 1
        if progress:
            progress(len(batch))
    head_seq = head.seq if head else 0
    head_hash = head.hash if head else GENESIS_HASH
    if head_seq != last_seq or head_hash != prev_hash:
        return broken(
            f"Mục cuối #{last_seq} không khớp đầu chuỗi #{head_seq}: các mục cuối đã bị xóa.",
            last_seq + 1,
            checked,
        )
    if anchor_list:
        latest = max(anchor_list, key=lambda a: a.seq)
        if latest.seq > last_seq:
            return broken(
                f"Chuỗi bị cắt cụt: mốc neo lúc {latest.time} ghi nhận đến mục #{latest.seq}, "
                f"chuỗi chỉ còn đến #{last_seq}.",
                last_seq + 1,
                checked,
            )
    if bad_lines:
        return broken(
            "Tệp mốc neo có dòng bị sửa hoặc sai chữ ký: dòng {}.".format(
                ", ".join(map(str, bad_lines[:10]))
            ),
            None,
            checked,
        )
    queue_key = keys.derived_key(keys.PURPOSE_QUEUE)
    queued = 0
    for row in QueuedAuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if not hmac.compare_digest(row.mac, queued_mac(row, queue_key)):
            return broken(f"Lượt xem hồ sơ mật đang chờ ghi (mã {row.pk}) đã bị sửa.", None, checked)
        queued += 1
    message = f"Chuỗi nhật ký nguyên vẹn: {checked} mục."
    if anchor_list:
        latest = anchor_list[-1]
        message += f" Khớp {len(anchor_list)} mốc neo (mới nhất: mục #{latest.seq} lúc {latest.time})."
    else:
        message += " Chưa có mốc neo nào ngoài cơ sở dữ liệu (`pckb audit anchor`)."
    if queued:
        message += f" {queued} lượt xem hồ sơ mật đang chờ ghi vào chuỗi."
    return VerifyResult(True, checked, message)


# --- Re-keying a chain written before the hashes were keyed ----------------------------------------------
class RekeyRefused(Exception):
    pass


def audit_rekey(*, entry_model=AuditEntry, head_model=AuditChainHead, batch_size: int = 2000) -> int:
    """Re-hash, with the key, a chain whose oldest entries carry the unkeyed SHA-256 of earlier versions.

    The chain is first checked as it stands (legacy entries, then keyed ones, every link and the head); a
    chain that does not check out is refused, so re-keying never launders tampering. Returns the number of
    entries re-hashed (0 if the chain is already keyed)."""
    chain_key = keys.derived_key(keys.PURPOSE_CHAIN)
    fields = [f.name for f in entry_model._meta.concrete_fields if f.name != "user"] + ["user_id"]
    with transaction.atomic():
        if not head_model.objects.filter(pk=1).update(seq=F("seq")):
            return 0
        head = head_model.objects.select_for_update().get(pk=1)
        prev, expected, legacy, keyed_seen = GENESIS_HASH, 1, 0, False
        while True:
            batch = list(
                entry_model.objects.filter(seq__gte=expected).order_by("seq").only(*fields)[:batch_size]
            )
            if not batch:
                break
            for entry in batch:
                if entry.seq != expected or entry.prev_hash != prev:
                    raise RekeyRefused(f"Mục #{expected}: chuỗi bị đứt, không khóa lại.")
                if hmac.compare_digest(compute_hash(prev, entry, chain_key), entry.hash):
                    keyed_seen = True
                elif not keyed_seen and legacy_hash(prev, entry) == entry.hash:
                    legacy += 1
                else:
                    raise RekeyRefused(f"Mục #{entry.seq}: nội dung đã bị sửa, không khóa lại.")
                prev, expected = entry.hash, expected + 1
        if head.seq != expected - 1 or head.hash != prev:
            raise RekeyRefused("Đầu chuỗi không khớp mục cuối, không khóa lại.")
        if not legacy:
            return 0
        prev, expected = GENESIS_HASH, 1
        while True:
            batch = list(
                entry_model.objects.filter(seq__gte=expected).order_by("seq").only(*fields)[:batch_size]
            )
            if not batch:
                break
            for entry in batch:
                entry.prev_hash = prev
                entry.hash = prev = compute_hash(prev, entry, chain_key)
            entry_model.objects.bulk_update(batch, ["prev_hash", "hash"])
            expected = batch[-1].seq + 1
        head_model.objects.filter(pk=1).update(hash=prev)
    return legacy
