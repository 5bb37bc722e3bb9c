"""Writing and verifying the hash-chained audit log.

Call :func:`audit_record` inside the transaction of the write it records."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import F
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from pckb.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry
from pckb.core import context


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


def compute_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + _entry_payload(entry)).hexdigest()


def _object_scope(obj: models.Model | None) -> tuple[str, int]:
    if obj is None:
        return "", 0
    unit = obj.get_unit() if hasattr(obj, "get_unit") else None
    from pckb.core.access import classification_of

    # A child's entry is as classified as its parent (a delegate of a Mật conference is Mật).
    classification = max(getattr(obj, "classification", 0) or 0, classification_of(obj))
    return (unit.path if unit is not None else ""), int(classification)


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
) -> AuditEntry:
    """Append one entry to the chain. Must run inside the caller's transaction."""
    ctx = context.current()
    with transaction.atomic():
        # Updating the head first takes the write lock (row lock on PostgreSQL, database lock on SQLite),
        # so concurrent writers queue here and the chain stays linear.
        if not AuditChainHead.objects.filter(pk=1).update(seq=F("seq") + 1):
            AuditChainHead.objects.get_or_create(pk=1)  # the very first entry of an installation
            AuditChainHead.objects.filter(pk=1).update(seq=F("seq") + 1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
        obj_path, classification = _object_scope(obj)
        user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
        entry = AuditEntry(
            seq=head.seq,
            time=timezone.now(),
            user=user,
            username=(user.get_username() if user else username)[:150],
            ip=ctx.ip or "",
            request_id=ctx.request_id,
            source=ctx.source,
            action=action,
            object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
            object_id=object_id or (str(obj.pk) if obj is not None and obj.pk is not None else ""),
            object_repr=(object_repr or (str(obj) if obj is not None else ""))[:300],
            unit_path=unit_path if unit_path is not None else obj_path,
            classification=classification,
            before=before,
            after=after,
            prev_hash=head.hash,
        )
        entry.hash = compute_hash(head.hash, entry)
        entry.save()
        AuditChainHead.objects.filter(pk=1).update(hash=entry.hash)
    return entry


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    message: str
    first_broken_seq: int | None = None


def audit_verify(*, progress=None, batch_size: int = 5000) -> VerifyResult:
    """Recompute the whole chain. Returns the first broken entry, if any."""
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
                return VerifyResult(
                    False, checked, f"Thiếu mục nhật ký #{expected_seq} (bị xóa).", expected_seq
                )
            if entry.prev_hash != prev_hash:
                return VerifyResult(False, checked, f"Mục #{entry.seq}: liên kết chuỗi bị phá vỡ.", entry.seq)
            if compute_hash(prev_hash, entry) != entry.hash:
                return VerifyResult(False, checked, f"Mục #{entry.seq}: nội dung đã bị sửa.", entry.seq)
            prev_hash = entry.hash
            last_seq = entry.seq
            expected_seq += 1
            checked += 1
        if progress:
            progress(len(batch))
    head_seq = head.seq if head else 0
    head_hash = head.hash if head else GENESIS_HASH
    if head_seq != last_seq or head_hash != prev_hash:
        return VerifyResult(
            False,
            checked,
            f"Mục cuối #{last_seq} không khớp đầu chuỗi #{head_seq}: các mục cuối đã bị xóa.",
            last_seq + 1,
        )
    return VerifyResult(True, checked, f"Chuỗi nhật ký nguyên vẹn: {checked} mục.")
