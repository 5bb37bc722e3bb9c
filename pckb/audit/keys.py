"""The audit key: a secret kept outside the database that keys every hash of the chain (HMAC-SHA256).

Someone who can write to the database but cannot read the key cannot recompute the chain after editing it.
The key is ``PCKB_AUDIT_KEY`` or the contents of ``PCKB_AUDIT_KEY_FILE`` (default ``var/audit-key``), which
``pckb setup`` creates with mode 0600. In development the file is also created on first use; in production a
missing key stops every audited write with a clear message instead of writing an unprotected chain.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

#: Separate keys derived from the one secret, so a MAC made for one purpose is never valid for another.
PURPOSE_CHAIN = b"pckb-audit-chain-v2"
PURPOSE_ANCHOR = b"pckb-audit-anchor-v1"
PURPOSE_QUEUE = b"pckb-audit-queue-v1"

MIN_KEY_LENGTH = 32


class AuditKeyMissing(ImproperlyConfigured):
    pass


def key_file_create(path: Path | None = None) -> bool:
    """Create the key file (0600) unless ``PCKB_AUDIT_KEY`` is set or the file exists. True if created."""
    if settings.PCKB_AUDIT_KEY:
        return False
    path = Path(path or settings.PCKB_AUDIT_KEY_FILE)
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: two processes starting at once never overwrite each other's key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    return True


@functools.lru_cache(maxsize=8)
def _read_key(env_key: str, path: str) -> bytes:
    if env_key:
        raw = env_key
    else:
        try:
            raw = Path(path).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise AuditKeyMissing(
                "Thiếu khóa nhật ký hệ thống: đặt biến môi trường PCKB_AUDIT_KEY hoặc chạy `pckb setup` "
                f"để tạo tệp khóa {path} (quyền 0600). Xem docs/operations.md."
            ) from None
    if len(raw) < MIN_KEY_LENGTH:
        raise AuditKeyMissing(f"Khóa nhật ký hệ thống phải dài ít nhất {MIN_KEY_LENGTH} ký tự ngẫu nhiên.")
    return raw.encode("utf-8")


def audit_key() -> bytes:
    """The raw key. Development creates the key file on first use; production only reads it."""
    if settings.DEBUG and not settings.PCKB_AUDIT_KEY:
        key_file_create()
    return _read_key(settings.PCKB_AUDIT_KEY, str(settings.PCKB_AUDIT_KEY_FILE))


def derived_key(purpose: bytes) -> bytes:
    return hmac.new(audit_key(), purpose, hashlib.sha256).digest()


def mac(purpose: bytes, message: bytes) -> str:
    return hmac.new(derived_key(purpose), message, hashlib.sha256).hexdigest()
