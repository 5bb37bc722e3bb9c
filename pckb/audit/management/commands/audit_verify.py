import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from pckb.audit.models import AuditEntry
from pckb.audit.services import audit_verify


class Command(BaseCommand):
    help = "Kiểm tra toàn vẹn chuỗi băm của nhật ký hệ thống. Mã thoát 0: nguyên vẹn; 1: bị sửa/xóa."

    def handle(self, *args, **options):
        total = AuditEntry.objects.count()
        with tqdm(total=total, unit="mục", disable=not sys.stderr.isatty(), file=sys.stderr) as bar:
            result = audit_verify(progress=bar.update)
        if result.ok:
            self.stdout.write(result.message)
            return
        self.stderr.write(result.message)
        sys.exit(1)
