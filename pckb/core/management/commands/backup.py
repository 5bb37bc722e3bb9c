import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from pckb.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu đang chạy (SQLite: sao lưu trực tuyến; PostgreSQL: pg_dump) "
        "và các tệp đã tải lên, vào một tệp .tar."
    )

    def add_arguments(self, parser):
        parser.add_argument("target", nargs="?", help="Tệp đích (mặc định var/backups/pckb-<thời điểm>.tar)")

    def handle(self, *args, target=None, **options):
        from django.conf import settings

        if not target:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            target = Path(settings.VAR_DIR) / "backups" / f"pckb-{stamp}.tar"
        try:
            path = backup_create(Path(target))
        except BackupError as exc:
            self.stderr.write(f"Lỗi sao lưu: {exc}")
            sys.exit(1)
        self.stdout.write(f"Đã sao lưu vào {path}")
