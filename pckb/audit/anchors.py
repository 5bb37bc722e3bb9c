"""Anchors: where the chain's head was, written to a file outside the database and signed with the audit key.

One JSON object per line, appended (``PCKB_AUDIT_ANCHOR_FILE``, default ``var/audit-anchors/anchors.jsonl``)::

    {"seq": 1234, "hash": "…", "time": "2026-12-01T10:00:00+00:00", "mac": "…"}

Someone who can rewrite the database but not this file (put it on another volume, an append-only mount, or
ship it elsewhere) cannot move the head back, truncate the chain or replace it with an older copy without
``pckb audit verify`` noticing. The worker writes an anchor every minute when the head has moved.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from pckb.audit import keys


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    time: str


def _message(seq: int, hash_: str, time: str) -> bytes:
    return f"{seq}|{hash_}|{time}".encode("ascii")


def anchor_path(path: Path | str | None = None) -> Path:
    return Path(path or settings.PCKB_AUDIT_ANCHOR_FILE)


def anchors_read(path: Path | str | None = None) -> tuple[list[Anchor], list[int]]:
    """Anchors whose signature matches the key, in file order, and the numbers of lines that do not."""
    path = anchor_path(path)
    good: list[Anchor] = []
    bad: list[int] = []
    if not path.exists():
        return good, bad
    key = keys.derived_key(keys.PURPOSE_ANCHOR)

    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                anchor = Anchor(seq=int(data["seq"]), hash=str(data["hash"]), time=str(data["time"]))
                expected = hmac.new(key, _message(anchor.seq, anchor.hash, anchor.time), hashlib.sha256)
                if not hmac.compare_digest(expected.hexdigest(), str(data["mac"])):
                    raise ValueError("signature")
            except (ValueError, KeyError, TypeError, UnicodeEncodeError):
                bad.append(number)
                continue
            good.append(anchor)
    return good, bad


def anchor_write(*, path: Path | str | None = None, force: bool = False) -> Anchor | None:
    """Append the current head to the anchor file (only when it moved since the last anchor, unless forced).

    Returns the anchor written, or None when the head has not moved."""
    from pckb.audit.models import GENESIS_HASH, AuditChainHead

    path = anchor_path(path)
    head = AuditChainHead.objects.filter(pk=1).first()
    seq, hash_ = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if not force:
        previous, _bad = anchors_read(path)
        if previous and previous[-1].seq == seq and previous[-1].hash == hash_:
            return None
    anchor = Anchor(seq=seq, hash=hash_, time=timezone.now().isoformat(timespec="seconds"))
    line = json.dumps(
        {
            "seq": anchor.seq,
            "hash": anchor.hash,
            "time": anchor.time,
            "mac": keys.mac(keys.PURPOSE_ANCHOR, _message(anchor.seq, anchor.hash, anchor.time)),
        },
        separators=(",", ":"),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return anchor


def anchors_restart(*, path: Path | str | None = None) -> Path | None:
    """After a deliberate restore from backup: set the old anchor file aside and anchor the restored head.

    Returns where the old file went (kept, never deleted), or None if there was none."""
    path = anchor_path(path)
    moved = None
    if path.exists():
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        moved = path.with_name(f"{path.name}.{stamp}.before-restore")
        path.rename(moved)
    anchor_write(path=path, force=True)
    return moved
