import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from pckb.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Khôi phục cơ sở dữ liệu từ bản sao lưu (dừng ứng dụng trước khi khôi phục)."

    def add_arguments(self, parser):
        parser.add_argument("source")
        parser.add_argument("--yes", action="store_true", help="Không hỏi lại.")

    def handle(self, *args, source, yes=False, **options):
        if not yes and sys.stdin.isatty():
            answer = input("Toàn bộ dữ liệu hiện tại sẽ bị thay thế. Gõ 'dong y' để tiếp tục: ")
            if answer.strip().lower() not in {"dong y", "đồng ý"}:
                self.stderr.write("Đã hủy.")
                sys.exit(1)
        try:
            backup_restore(Path(source))
        except BackupError as exc:
            self.stderr.write(f"Lỗi khôi phục: {exc}")
            sys.exit(1)
        self.stdout.write(f"Đã khôi phục từ {source}")
