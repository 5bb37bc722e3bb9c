import sys

from django.core.management.base import BaseCommand

from pckb.audit.anchors import anchor_write
from pckb.audit.services import RekeyRefused, audit_rekey


class Command(BaseCommand):
    help = (
        "Khóa lại (HMAC) chuỗi nhật ký được ghi bằng SHA-256 không khóa của phiên bản cũ. "
        "Chuỗi được kiểm tra trước; chuỗi bị sửa sẽ bị từ chối."
    )

    def handle(self, *args, **options):
        try:
            count = audit_rekey()
        except RekeyRefused as exc:
            self.stderr.write(str(exc))
            sys.exit(1)
        if not count:
            self.stdout.write("Chuỗi nhật ký đã được khóa; không cần khóa lại.")
            return
        anchor_write(force=True)
        self.stdout.write(f"Đã khóa lại {count} mục nhật ký và neo đầu chuỗi.")
