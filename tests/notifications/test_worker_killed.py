"""A delivery worker killed with SIGKILL in the middle of delivering loses nothing; after deduplication by
idempotency key, the receivers process every message exactly once.

Everything here is real: a SQLite database file migrated by ``manage.py migrate``, the delivery loop
(``manage.py notifications_deliver``) in its own process, an aiosmtpd SMTP server and an HTTP receiver on
127.0.0.1. The webhook receiver holds one request open (it has recorded it but not answered); the worker is
killed at that moment, so that message was delivered but never marked sent: exactly the case the
at-least-once contract exists for. A second worker, started after the kill, waits for the dead worker's
lease to expire and delivers what was left — the held message again, with the same idempotency key.

What is measured and asserted:
* lost = rows not ``sent`` + keys never seen by a receiver = 0;
* distinct keys at the SMTP server = e-mail rows, distinct keys at the webhook receiver = webhook rows;
* raw duplicates (the same key received twice) = exactly the one request in flight at the kill, which a
  receiver that deduplicates by ``Idempotency-Key`` processes once.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.notifications.conftest import WEBHOOK_SECRET
from tests.notifications.peers import SmtpReceiver, WebhookReceiver

ROOT = Path(__file__).resolve().parents[2]
#: Notifications queued (each is one e-mail and one webhook call). PCKB_KILL_TEST_N=1000 for the benchmark.
N = int(os.environ.get("PCKB_KILL_TEST_N", "200"))

SEED = """
import django
django.setup()
from django.db import transaction
from pckb.accounts.models import User
from pckb.notifications.services import notify
user = User.objects.create_user("daumoi.thu", email="daumoi@example.invalid", password="x" * 12)
with transaction.atomic():
    for i in range({n}):
        notify(recipients=[user], event="test.kill", title="Thông báo số %d" % i, body="Nội dung %d" % i)
"""


def run(args, env, **kwargs):
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True, **kwargs
    )


@pytest.fixture
def peers():
    smtp = SmtpReceiver().start()
    hook = WebhookReceiver(WEBHOOK_SECRET).start()
    yield smtp, hook
    hook.stop()
    smtp.stop()


def rows(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT channel, status, idempotency_key, attempts FROM notifications_outboxmessage"
        ).fetchall()


def test_killed_worker_loses_nothing_and_receivers_see_each_key_once(tmp_path, peers):
    smtp, hook = peers
    db = tmp_path / "pckb.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PCKB_") and k != "DJANGO_SETTINGS_MODULE"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "pckb.settings",
        "PCKB_VAR_DIR": str(tmp_path),
        "PCKB_SQLITE_PATH": str(db),
        "PCKB_EMAIL_HOST": "127.0.0.1",
        "PCKB_EMAIL_PORT": str(smtp.port),
        "PCKB_WEBHOOK_URL": hook.url,
        "PCKB_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "PCKB_OUTBOX_LEASE_SECONDS": "3",
        "PCKB_LOG_LEVEL": "ERROR",
    }
    run(["manage.py", "migrate", "--noinput"], env)
    run(["-c", SEED.format(n=N)], env)
    queued = rows(db)
    assert len(queued) == 2 * N and {r[1] for r in queued} == {"pending"}

    hook.hold_after = N // 3  # a third of the way through, the receiver stops answering
    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "notifications_deliver",
            "--loop",
            "--batch",
            "10",
            "--interval",
            "0.2",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert hook.holding.wait(120), "the worker never reached the held request"
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(10)
    at_kill = rows(db)
    in_flight = [r for r in at_kill if r[1] == "sending"]
    sent_at_kill = sum(1 for r in at_kill if r[1] == "sent")
    assert in_flight, "the kill must leave claimed, undelivered-or-unconfirmed rows behind"
    hook.release.set()

    started = time.monotonic()
    run(
        ["manage.py", "notifications_deliver", "--until-done", "--batch", "10", "--interval", "0.5"],
        env,
        timeout=300,
    )
    resumed_in = time.monotonic() - started

    final = rows(db)
    # SQLite stores a UUID as 32 hex digits; the receivers see its usual dashed form
    email_keys = {f"<{uuid.UUID(r[2])}@pckb.invalid>" for r in final if r[0] == "email"}
    hook_keys = {str(uuid.UUID(r[2])) for r in final if r[0] == "webhook"}

    lost_rows = [r for r in final if r[1] != "sent"]
    smtp_seen, hook_seen = smtp.keys, hook.keys
    lost_keys = (email_keys - set(smtp_seen)) | (hook_keys - set(hook_seen))
    raw = sum(smtp_seen.values()) + sum(hook_seen.values())
    distinct = len(smtp_seen) + len(hook_seen)
    duplicates = {k: n for k, n in (smtp_seen + hook_seen).items() if n > 1}
    print(
        f"\nkill test: rows={len(final)} sent_before_kill={sent_at_kill} in_flight_at_kill={len(in_flight)} "
        f"lost={len(lost_rows) + len(lost_keys)} raw_deliveries={raw} distinct_keys={distinct} "
        f"duplicates={sum(n - 1 for n in duplicates.values())} resumed_in={resumed_in:.1f}s"
    )

    assert lost_rows == [] and lost_keys == set()
    assert set(smtp_seen) == email_keys and set(hook_seen) == hook_keys
    assert distinct == 2 * N
    # the only message received twice is the one whose answer the killed worker never read
    assert sum(n - 1 for n in duplicates.values()) == 1
    assert all(k in hook_keys for k in duplicates)
    assert hook.bad_signatures == 0
