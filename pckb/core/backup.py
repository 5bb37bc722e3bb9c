"""Backup and restore of the database and the uploaded files (MEDIA_ROOT).

A backup is one tar archive: ``manifest.json``, the database (SQLite through its online backup API,
PostgreSQL through pg_dump's custom format) and ``media/`` with every uploaded file. A restore puts back
both; a bare database file from an older version is still accepted (the uploaded files are then kept)."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

FORMAT = "pckb-backup/1"
MANIFEST = "manifest.json"
MEDIA_DIR = "media"


class BackupError(Exception):
    pass


def _pg_env(settings_dict: dict) -> tuple[list[str], dict]:
    args = [
        "--host",
        settings_dict.get("HOST") or "127.0.0.1",
        "--port",
        str(settings_dict.get("PORT") or 5432),
        "--username",
        settings_dict.get("USER") or "postgres",
        "--dbname",
        settings_dict["NAME"],
    ]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def _database_dump(target: Path) -> Path:
    """Write a consistent copy of the live database to ``target`` while the application keeps running."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as dest:
            connection.connection.backup(dest)
        dest.close()
        return target
    if connection.vendor == "postgresql":
        tool = shutil.which("pg_dump")
        if not tool:
            raise BackupError("Không tìm thấy pg_dump (cài gói postgresql-client).")
        args, env = _pg_env(settings_dict)
        result = subprocess.run(  # noqa: S603 - fixed tool, arguments from settings
            [tool, "--format=custom", "--no-owner", "--file", str(target), *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(result.stderr.strip() or "pg_dump thất bại.")
        return target
    raise BackupError(f"Không hỗ trợ sao lưu cơ sở dữ liệu {connection.vendor}.")


def backup_create(target: Path) -> Path:
    """Write one archive with the database and every uploaded file to ``target``."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        db_name = "database.sqlite3" if connection.vendor == "sqlite" else "database.dump"
        db_file = _database_dump(Path(work) / db_name)
        files = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.is_dir() else []
        manifest = {
            "format": FORMAT,
            "vendor": connection.vendor,
            "database": db_name,
            "media_files": len(files),
        }
        partial = target.with_name(target.name + ".part")
        with tarfile.open(partial, "w") as archive:
            info = tarfile.TarInfo(MANIFEST)
            payload = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))
            archive.add(db_file, arcname=db_name)
            for path in files:
                archive.add(path, arcname=f"{MEDIA_DIR}/{path.relative_to(media_root).as_posix()}")
        partial.replace(target)
    return target


def _read_archive(source: Path, work: Path) -> tuple[Path, Path | None]:
    """Unpack ``source`` into ``work``: (database file, media folder or ``None`` for a bare database)."""
    if not tarfile.is_tarfile(source):
        return source, None  # a bare database file written by an older version
    try:
        with tarfile.open(source) as archive:
            manifest = json.loads(archive.extractfile(MANIFEST).read().decode("utf-8"))
            if manifest.get("format") != FORMAT:
                raise BackupError(f"Tệp {source} không phải bản sao lưu PCKB Hub.")
            if manifest.get("vendor") != connection.vendor:
                raise BackupError(
                    f"Bản sao lưu {source} là của {manifest.get('vendor')}, cơ sở dữ liệu đang dùng là "
                    f"{connection.vendor}."
                )
            archive.extractall(work, filter="data")  # refuses absolute paths, "..", links outside
    except (KeyError, json.JSONDecodeError, tarfile.TarError, OSError) as exc:
        raise BackupError(f"Tệp {source} không phải bản sao lưu PCKB Hub hợp lệ ({exc}).") from exc
    database = work / manifest["database"]
    if not database.is_file():
        raise BackupError(f"Tệp {source} không có cơ sở dữ liệu.")
    return database, work / MEDIA_DIR


def _restore_media(media: Path) -> None:
    """Replace MEDIA_ROOT with the archived files (the old folder is removed only after the swap)."""
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    incoming = media_root.with_name(media_root.name + ".restoring")
    shutil.rmtree(incoming, ignore_errors=True)
    if media.is_dir():
        shutil.copytree(media, incoming)
    else:
        incoming.mkdir()
    old = media_root.with_name(media_root.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if media_root.exists():
        media_root.replace(old)
    incoming.replace(media_root)
    shutil.rmtree(old, ignore_errors=True)


def backup_restore(source: Path) -> None:
    """Replace the live database and uploaded files with the backup ``source``. Stop the application
    first."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {source}.")
    with tempfile.TemporaryDirectory() as work:
        database, media = _read_archive(source, Path(work))
        _restore_database(database)
        if media is not None:
            _restore_media(media)


def _restore_database(source: Path) -> None:
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        try:
            with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src:
                src.execute("PRAGMA schema_version").fetchone()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"Tệp {source} không phải bản sao lưu SQLite hợp lệ.") from exc
        connection.ensure_connection()
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src:
            src.backup(connection.connection)
        connections.close_all()
        return
    if connection.vendor == "postgresql":
        tool = shutil.which("pg_restore")
        if not tool:
            raise BackupError("Không tìm thấy pg_restore (cài gói postgresql-client).")
        connections.close_all()
        args, env = _pg_env(settings_dict)
        result = subprocess.run(  # noqa: S603 - fixed tool, arguments from settings
            [tool, "--clean", "--if-exists", "--no-owner", "--single-transaction", *args, str(source)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(result.stderr.strip() or "pg_restore thất bại.")
        return
    raise BackupError(f"Không hỗ trợ khôi phục cơ sở dữ liệu {connection.vendor}.")
