"""The reporter-contact key: Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``), kept outside the
database so a copy of the database alone never reveals who reported (Luật PCKB Điều 29: keep the reporter
secret).

The keys are ``PCKB_REPORTER_KEY`` (one or more Fernet keys, comma-separated, the first encrypts) or the lines
of ``PCKB_REPORTER_KEY_FILE`` (default ``var/reporter-key``, mode 0600), which ``pckb setup`` creates (the
app's post-migrate hook). Development and tests create the file on first use; production without a key stops
with a clear message instead of storing a contact in clear. ``response_rotate_key`` re-encrypts every row.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class ReporterKeyMissing(ImproperlyConfigured):
    pass


def env_keys() -> list[str]:
    return [k.strip() for k in os.environ.get("PCKB_REPORTER_KEY", "").split(",") if k.strip()]


def key_path() -> Path:
    return Path(os.environ.get("PCKB_REPORTER_KEY_FILE", "") or Path(settings.VAR_DIR) / "reporter-key")


def key_file_create(path: Path | None = None) -> bool:
    """Create the key file (0600) unless ``PCKB_REPORTER_KEY`` is set or the file exists. True if created."""
    if env_keys():
        return False
    path = Path(path or key_path())
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as handle:
        handle.write(Fernet.generate_key().decode() + "\n")
    return True


def key_file_write(keys: list[str], path: Path | None = None) -> None:
    """Replace the key file's keys (first encrypts) atomically, keeping mode 0600."""
    path = Path(path or key_path())
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write("".join(f"{k}\n" for k in keys))
    tmp.replace(path)


def keys() -> list[str]:
    """The Fernet keys, the current one first."""
    found = env_keys()
    if found:
        return found
    if settings.DEBUG or getattr(settings, "TESTING", False):
        key_file_create()
    path = key_path()
    try:
        found = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except FileNotFoundError:
        found = []
    if not found:
        raise ReporterKeyMissing(
            "Thiếu khóa mã hóa thông tin người báo tin: đặt biến môi trường PCKB_REPORTER_KEY hoặc chạy "
            f"`pckb setup` để tạo tệp khóa {path} (quyền 0600). Xem docs/response.md."
        )
    return found


def cipher(key_list: list[str] | None = None) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.encode()) for k in (key_list or keys())])
    except ValueError:
        raise ReporterKeyMissing(
            "Khóa mã hóa thông tin người báo tin không hợp lệ (cần khóa Fernet, 32 byte base64)."
        ) from None


def encrypt(text: str) -> str:
    return cipher().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        # Never echo the token or any part of the contact.
        raise ReporterKeyMissing(
            "Không giải mã được thông tin người báo tin: khóa hiện tại không khớp (xem docs/response.md)."
        ) from None
