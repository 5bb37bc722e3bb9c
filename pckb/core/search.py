"""Indexes behind accent-insensitive search. Matching is always ``search_text LIKE '%token%'`` (folded
text); an index only finds the candidate rows faster:

* SQLite: an FTS5 table with the trigram tokenizer, kept in step by triggers (``<table>_fts``);
* PostgreSQL: a ``pg_trgm`` GIN index on ``search_text``, which the planner uses for ``LIKE '%…%'``.

Tokens shorter than three letters cannot use a trigram index and fall back to the plain scan.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

_available: dict[str, bool] = {}


def _fts(table: str) -> str:
    return f"{table}_fts"


def install(schema_editor, model) -> None:
    """Create the index for ``model`` (called from a migration; a no-op where the backend lacks it)."""
    table = model._meta.db_table
    vendor = schema_editor.connection.vendor
    # Table names come from model metadata, never from input: the f-strings below build DDL only.
    if vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{table}_search_trgm" ON "{table}" '
            "USING gin (search_text gin_trgm_ops)"
        )
    elif vendor == "sqlite":
        fts = _fts(table)
        add = f'INSERT INTO "{fts}"(rowid, search_text) VALUES (new.id, new.search_text);'  # noqa: S608
        remove = (
            f'INSERT INTO "{fts}"("{fts}", rowid, search_text) '  # noqa: S608
            "VALUES ('delete', old.id, old.search_text);"
        )
        statements = [
            f"CREATE VIRTUAL TABLE \"{fts}\" USING fts5(search_text, content='{table}', content_rowid='id', "
            "tokenize='trigram')",
            f'CREATE TRIGGER "{fts}_ai" AFTER INSERT ON "{table}" BEGIN {add} END',
            f'CREATE TRIGGER "{fts}_ad" AFTER DELETE ON "{table}" BEGIN {remove} END',
            f'CREATE TRIGGER "{fts}_au" AFTER UPDATE OF search_text ON "{table}" BEGIN {remove} {add} END',
            f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')',  # noqa: S608
        ]
        try:
            for sql in statements:
                schema_editor.execute(sql)
        except Exception:  # noqa: BLE001 - an SQLite without FTS5/trigram keeps the plain scan
            uninstall(schema_editor, model)


def uninstall(schema_editor, model) -> None:
    table = model._meta.db_table
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{table}_search_trgm"')
    elif schema_editor.connection.vendor == "sqlite":
        fts = _fts(table)
        for suffix in ("ai", "ad", "au"):
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{fts}_{suffix}"')
        schema_editor.execute(f'DROP TABLE IF EXISTS "{fts}"')


def _sqlite_fts_ready(table: str) -> bool:
    key = f"{connection.settings_dict['NAME']}:{table}"
    if key not in _available:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [_fts(table)])
            _available[key] = cursor.fetchone() is not None
    return _available[key]


def token_q(model, token: str) -> Q:
    """The filter for one folded token: exact substring semantics, index-assisted where possible."""
    q = Q(search_text__contains=token)
    table = model._meta.db_table
    if connection.vendor == "sqlite" and len(token) >= 3 and _sqlite_fts_ready(table):
        fts = _fts(table)
        phrase = '"' + token.replace('"', '""') + '"'
        subquery = f'SELECT rowid FROM "{fts}" WHERE "{fts}" MATCH %s'  # noqa: S608 - table from metadata
        q &= Q(pk__in=RawSQL(subquery, [phrase]))  # noqa: S611 - the token is a bound parameter
    return q
