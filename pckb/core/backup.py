"""Backup and restore of the database: SQLite through its online backup API, PostgreSQL through
pg_dump/pg_restore (custom format)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection, connections


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


def backup_create(target: Path) -> Path:
    """Write a consistent copy of the live database to ``target`` while the application keeps running."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
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


def backup_restore(source: Path) -> None:
    """Replace the live database with the backup ``source``. Stop the application first."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {source}.")
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
