"""Deliver the notification outbox from the command line: once, until done, or as a loop.

    pckb manage notifications_deliver            # one pass over what is due now
    pckb manage notifications_deliver --loop     # keep delivering (a dedicated delivery worker)
    pckb manage notifications_deliver --until-done   # also wait for expired leases of dead workers
    pckb manage notifications_deliver --status   # rows per status

The Huey worker (``pckb worker``) runs the same service on commit and every minute; this command is for
operators and for the durability test, which kills it with SIGKILL mid-delivery.
"""

import signal
import time

from django.core.management.base import BaseCommand

from pckb.notifications import selectors, services


class Command(BaseCommand):
    help = "Gửi các thông báo đang chờ trong hộp thư đi (e-mail, webhook)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=20)
        parser.add_argument("--loop", action="store_true", help="Chạy liên tục.")
        parser.add_argument("--until-done", action="store_true", help="Đến khi không còn thư chờ/đang gửi.")
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--status", action="store_true", help="Chỉ in số thư theo trạng thái.")

    def handle(self, *args, batch, loop, until_done, interval, status, **options):
        if status:
            for name, n in sorted(selectors.outbox_summary().items()):
                self.stdout.write(f"{name}\t{n}")
            return
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        while True:
            report = services.outbox_drain(
                batch=batch, until_done=until_done, interval=interval, stop=lambda: bool(stopping)
            )
            self.stdout.write(
                f"sent={report.sent} retried={report.retried} failed={report.failed} "
                f"lost_lease={report.lost_lease}"
            )
            if not loop or stopping:
                return
            time.sleep(interval)
